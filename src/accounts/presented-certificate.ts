import type { FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';

/** What the TLS layer says about the client certificate presented on the sign-in connection. */
export interface PresentedCertificate {
  /** The chain verified against the gateway CA (the listener's `ca`). */
  authorized: boolean;
  /** DER of the certificate, to check again in code. */
  raw: Buffer;
}

/**
 * The client certificate presented on this request's TLS connection, if any. The control plane
 * asks for one without requiring it (control-plane-app.ts), so most connections carry none. Behind
 * a TLS-terminating proxy there is none either: CLIENT_CERTIFICATE accounts need the listener
 * reached directly (or a TCP pass-through proxy).
 */
export function presentedCertificate(request: FastifyRequest): PresentedCertificate | null {
  const socket = request.raw.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return null;
  const certificate = socket.getPeerCertificate();
  if (!certificate?.raw?.length) return null;
  return { authorized: socket.authorized === true, raw: certificate.raw };
}
