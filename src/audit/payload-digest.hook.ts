import type { FastifyInstance, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { Transform } from 'node:stream';

declare module 'fastify' {
  interface FastifyRequest {
    /** SHA-256 (hex) of the request body as received, once it has been read to its end. */
    payloadSha256?: string;
  }
}

/**
 * Hashes each request body on its way to the body parser (Fastify `preParsing`): the bytes as they
 * came off the wire, whatever the parser later makes of them (an unparsable body is hashed too).
 * The digest is set when the body has been read whole, so a body cut off (too large, aborted) has
 * none. Requests without a body (GET, the data plane's pulls) are not touched at all.
 *
 * One pass of SHA-256 over bytes the parser reads anyway; see README.md for what it costs.
 */
export function registerPayloadDigest(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!hasBody(request)) {
      done(null, payload);
      return;
    }
    const hash = crypto.createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        request.payloadSha256 = hash.digest('hex');
        callback();
      },
    });
    // Not stream.pipeline: it would destroy the request (and with it the socket) when the parser
    // stops reading early, e.g. at the body limit, before the 413 is sent.
    payload.on('error', (error) => tap.destroy(error));
    payload.pipe(tap);
    done(null, tap);
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return length !== undefined ? length !== '0' : request.headers['transfer-encoding'] !== undefined;
}
