import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../shared/errors/api-error.js';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Which routes take a body other than JSON: raw files on the upload route, a form on the token route (OAuth's own encoding). */
export interface BodyMediaTypes {
  rawOn: string;
  formOn?: string;
  bodyLimit: number;
}

/**
 * JSON bodies everywhere, raw files of any media type on the one upload route, a form on the token
 * route; anything else is refused with 415 before it is read.
 *
 * Why refuse before parsing: Fastify parses text/plain and Nest form bodies on every route. A push
 * sent without `Content-Type: application/json` (curl -d sends a form) reached the handler as text,
 * and the attack screen read its JSON quotes and braces as SQL metacharacters: three such honest
 * mistakes cut the connection off. A raw buffer reaching a JSON handler would also be validated
 * byte by byte.
 */
export function acceptBodyMediaTypes(fastify: FastifyInstance, { rawOn, formOn, bodyLimit }: BodyMediaTypes): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers['content-type'];
    if (header === undefined || !hasBody(request.raw)) return done();
    const media = header.split(';', 1)[0].trim().toLowerCase();
    const route = request.routeOptions.url;
    if (media === JSON_TYPE || route === rawOn || (media === FORM_TYPE && route === formOn)) return done();
    done(unsupported(media, rawOn, formOn));
  });
  if (fastify.hasContentTypeParser('*')) fastify.removeContentTypeParser('*');
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    if (request.routeOptions.url === rawOn) return done(null, body);
    done(unsupported(String(request.headers['content-type'] ?? ''), rawOn, formOn), undefined);
  });
}

function hasBody(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function unsupported(media: string, rawOn: string, formOn: string | undefined): ApiError {
  const form = formOn ? `; a form only to ${formOn}` : '';
  return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `A body of type ${media || '(none named)'} is not accepted here: send JSON (Content-Type: application/json); raw files go to ${rawOn}${form}`);
}
