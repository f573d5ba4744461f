import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Sets a plane's security headers on a raw response. */
export type SecurityHeaders = (response: ServerResponse) => void;

/**
 * Helmet's headers for `options`, worked out once: helmet's middleware is run against a response
 * that records what it sets and removes, and each request then gets that list replayed. Helmet's
 * headers depend on its options only, never on the request (the options here have no per-request
 * CSP nonce); running its chain of a dozen middlewares per request cost a cached pull ~11 µs
 * (issue 19), the replay about half. A request-dependent option would be refused here.
 */
export function securityHeaders(options: HelmetOptions = {}): SecurityHeaders {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.flat().some((value) => typeof value === 'function')) {
    throw new Error('security headers: a content security policy directive computed per request cannot be worked out once');
  }
  const set: Array<[string, string | number | readonly string[]]> = [];
  const removed: string[] = [];
  // Names in lower case, as Fastify writes its own: Node's setHeader keys a header by its lower-cased
  // name, and lower-casing a name that is already lower case costs no new string to look up.
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name.toLowerCase(), value]),
    removeHeader: (name: string) => removed.push(name),
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet answers synchronously; a chain that had not finished would be waiting on the request.
  if (!finished) throw new Error('security headers: helmet did not finish synchronously (a per-request option?)');
  return (response) => {
    for (const [name, value] of set) response.setHeader(name, value);
    for (const name of removed) response.removeHeader(name);
  };
}

/**
 * The security headers on every response of a plane, set on the raw response before anything
 * else runs (refusals carry them too). Helmet itself rather than @fastify/helmet: that plugin
 * builds helmet's whole middleware chain again for every request, in two async hooks.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions = {}): void {
  const setHeaders = securityHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    setHeaders(reply.raw);
    done();
  });
}
