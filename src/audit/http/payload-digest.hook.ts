import type { FastifyInstance, FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';

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
 * One pass of SHA-256 (about 1 GB/s here) over bytes the parser reads anyway; README.md has what
 * it costs per request.
 */
export function registerPayloadDigest(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!hasBody(request)) {
      done(null, payload);
      return;
    }
    const hash = crypto.createHash('sha256');
    // The parser reads `body`, which the request feeds chunk by chunk after hashing it. A plain
    // Readable rather than a Transform and pipe(): the same bytes for about a third of the cost
    // (README.md). Not stream.pipeline either: it would destroy the request (and with it the
    // socket) when the parser stops reading early, e.g. at the body limit, before the 413 is sent.
    const body = new Readable({
      read() {
        payload.resume();
      },
    });
    payload.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      if (!body.push(chunk)) payload.pause();
    });
    payload.on('end', () => {
      request.payloadSha256 = hash.digest('hex');
      body.push(null);
    });
    payload.on('error', (error) => body.destroy(error));
    done(null, body);
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return length !== undefined ? length !== '0' : request.headers['transfer-encoding'] !== undefined;
}
