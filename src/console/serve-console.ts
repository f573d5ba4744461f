import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';

/** Where `npm run console:build` (Vite) writes the console: console/dist beside src/ and dist/. */
export const CONSOLE_DIST = path.resolve(import.meta.dirname, '../../console/dist');

/** The API prefixes: anything else that is a GET is the console's (its client-side routes). */
const API_PREFIXES = ['/control/', '/api/'];

/** Fastify's default `maxParamLength`: a longer path segment is a 414 from the router. */
const MAX_PARAM_LENGTH = 100;

/**
 * The console's own Content-Security-Policy, stricter than helmet's default for the API: scripts
 * only from this origin's files (Vite emits no inline script), no framing, no plugins, fetch only
 * to this origin. Styles allow 'unsafe-inline' because Ant Design injects its CSS-in-JS as
 * <style> elements; style injection cannot run code.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built console at / on the control plane (same origin as /control/v1, so the session
 * cookie and the API need no CORS). Hashed assets are cached for a year; index.html never is (the control plane's
 * `Cache-Control: no-store`).
 * Any other GET outside the API answers index.html (the console routes on the client); unknown
 * API paths keep their JSON 404. Without a build, the control plane serves the API alone.
 */
export function serveConsole(fastify: FastifyInstance, root: string = CONSOLE_DIST): void {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    new Logger('Console').warn(`No console build in ${root} (npm run console:build): serving the API only`);
    return;
  }
  void fastify.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // Everything under dist/ but index.html has a content hash in its name (Vite).
      maxAge: '365d',
      immutable: true,
    });
    const page = (_request: FastifyRequest, reply: FastifyReply) => reply.header('Content-Security-Policy', CONSOLE_CSP).sendFile('index.html', { cacheControl: false });
    scope.get('/', page);
    scope.get('/*', (request, reply) => {
      if (!API_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return page(request, reply);
      // With this catch-all present the router hands it an API path whose parameter is too long,
      // where it would otherwise refuse it with 414 itself: refuse it the same way.
      const tooLong = request.url.split('?')[0].split('/').some((segment) => segment.length > MAX_PARAM_LENGTH);
      if (tooLong) throw Object.assign(new Error('A path parameter is too long'), { code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 });
      return reply.callNotFound();
    });
  });
}

/**
 * A console page or asset served successfully: not a control-plane act, so not written to the
 * audit chain (a page load would add a handful of entries naming nobody). Refused or failed
 * requests outside the API are still recorded.
 */
export function isConsoleAsset(request: FastifyRequest, reply: FastifyReply): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode < 400 && !API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
}
