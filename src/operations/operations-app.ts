import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { newRequestId } from '../shared/http/request-id.js';
import { nestLogger } from './gateway-logger.js';
import { OperationsModule } from './operations.module.js';
import { watchedPlanes } from './planes.js';
import type { Plane } from './request-metrics.js';

/**
 * The operations listener: plain HTTP (a load balancer's health check and Prometheus speak no
 * mTLS), on OPS_HOST:OPS_PORT, loopback by default. It serves only /health/live, /health/ready
 * and /metrics, and shares no port with either plane.
 */
export async function createOperationsApp(config: GatewayConfig, planes: Partial<Record<Plane, INestApplication>>): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ genReqId: newRequestId, requestIdHeader: false, logger: false, bodyLimit: 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(OperationsModule.forRoot(config, watchedPlanes(planes)), adapter, { logger: nestLogger(config) });
  await app.init();
  return app;
}
