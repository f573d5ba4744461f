import crypto from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';

/** The peer certificate of an mTLS connection, as the gateway identifies it. */
export interface ClientCertificate {
  /** Lower-case hex SHA-256 of the DER bytes: the key into the certificate register. */
  thumbprintSha256: string;
  /** RFC 8705 `x5t#S256`: base64url of the same digest, bound into access tokens. */
  x5tS256: string;
}

const perSocket = new WeakMap<TLSSocket, ClientCertificate | null>();

/**
 * The verified client certificate of the request's TLS socket, or null. Computed once per
 * socket: keep-alive requests reuse it.
 */
export function clientCertificateOf(request: FastifyRequest): ClientCertificate | null {
  const socket = request.raw.socket as TLSSocket;
  if (perSocket.has(socket)) return perSocket.get(socket)!;
  let found: ClientCertificate | null = null;
  if (socket.authorized && typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate();
    if (peer?.raw) found = fromDer(peer.raw);
  }
  perSocket.set(socket, found);
  return found;
}

export function fromDer(der: Buffer): ClientCertificate {
  const digest = crypto.createHash('sha256').update(der).digest();
  return { thumbprintSha256: digest.toString('hex'), x5tS256: digest.toString('base64url') };
}
