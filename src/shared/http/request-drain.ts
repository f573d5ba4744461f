import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors/api-error.js';

/** How long a stopping gateway waits for calls under way before it closes what is left. */
export const DRAIN_LIMIT_MS = 10_000;

/**
 * Graceful stop of one plane, before its modules (and the database pool) are closed: the listener
 * stops accepting, calls under way finish, idle keep-alive sockets are closed, and a call that
 * still arrives on an open socket is answered 503 SHUTTING_DOWN in the one error shape, through
 * the exception filter and the audit hook like any other answer (Fastify's own closing reply has
 * neither; the adapters are built with `return503OnClosing: false` so this hook answers instead).
 */
@Injectable()
export class RequestDrain {
  private draining = false;
  private fastify: FastifyInstance | null = null;

  /** Register after the request-id hook and before every other onRequest hook. */
  register(fastify: FastifyInstance): void {
    this.fastify = fastify;
    fastify.addHook('onRequest', (_request, reply, done) => {
      if (!this.draining) return done();
      reply.header('Connection', 'close');
      const error = new ApiError(503, 'SHUTTING_DOWN', 'This gateway instance is stopping; retry the call (another instance, or this one once restarted, will answer)');
      error.retryAfterSeconds = 1;
      done(error);
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Resolves once every connection has closed, or after `limitMs` (the rest are then closed). */
  async drain(limitMs = DRAIN_LIMIT_MS): Promise<void> {
    this.draining = true;
    const server = this.fastify?.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A socket becomes idle once its call under way is answered; close each as it does.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([closed, late]);
    clearInterval(sweep);
    clearTimeout(timer);
    server.closeAllConnections();
  }
}
