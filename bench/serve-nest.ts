/**
 * The framework floor: NestJS on Fastify, over the same mTLS, answering the same page bytes from
 * one controller, with no guard, hook, audit or database. Run by pull.ts over IPC as serve.ts is
 * (`BENCH_SERVERS=…,nest`). What the gateway costs above this is its own work; what this costs
 * above the bare server is the framework's.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { BareServerJob } from './serve.js';

process.once('message', async (job: BareServerJob) => {
  const body = fs.readFileSync(job.bodyFile);

  @Controller('api/v1/task-results')
  class PageController {
    @Get()
    page(@Res() reply: FastifyReply): void {
      void reply.header('content-type', job.contentType).send(body);
    }
  }

  @Module({ controllers: [PageController] })
  class PageModule {}

  const adapter = new FastifyAdapter({
    https: { key: fs.readFileSync(job.key), cert: fs.readFileSync(job.cert), ca: fs.readFileSync(job.ca), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(PageModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
});
process.once('disconnect', () => process.exit(0));
