import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { OperationsMetrics } from './operations-metrics.service.js';
import { ReadinessIndicators } from './readiness.indicators.js';

/**
 * The operations listener's routes (plain HTTP, loopback by default; not part of the API
 * documents): liveness, readiness and Prometheus metrics.
 */
@ApiExcludeController()
@Controller()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly metrics: OperationsMetrics,
  ) {}

  /** The process is up and its event loop turns: restart it only if this fails. */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 while the instance can serve and record calls, else 503 (terminus' report, naming the
   * failing check): the load balancer stops sending traffic, the process is not restarted.
   */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check(this.readiness.checks());
    } catch (error) {
      // Terminus throws a ServiceUnavailableException carrying the report; answer with the report.
      const report = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!report) throw error;
      reply.code(503);
      return report;
    }
  }

  @Get('metrics')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}
