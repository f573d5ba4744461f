import type { FastifyInstance } from 'fastify';
import { ApiError } from '../shared/errors/api-error.js';

/**
 * Files arrive as raw bodies of any media type, but only on the one upload route: anywhere else a
 * non-JSON body is refused with 415 before it is read into memory (a raw buffer reaching a JSON
 * handler would be validated byte by byte).
 */
export function acceptRawBodyOnlyOn(fastify: FastifyInstance, route: string, bodyLimit: number): void {
  if (fastify.hasContentTypeParser('*')) fastify.removeContentTypeParser('*');
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    if (request.routeOptions.url === route) return done(null, body);
    done(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send JSON here (Content-Type: application/json); raw files go to ${route}`), undefined);
  });
}
