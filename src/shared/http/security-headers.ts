import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers on every response of a plane, set on the raw response before anything
 * else runs (refusals carry them too). Helmet itself rather than @fastify/helmet: that plugin
 * builds helmet's whole middleware chain again for every request, in two async hooks (a few
 * kilobytes of garbage and a few percent of a cached pull's CPU); here it is built once.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions = {}): void {
  const setHeaders = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
}
