import { Logger } from '@nestjs/common';
import type { Server as HttpsServer, ServerOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { GatewayConfig } from '../config/gateway-config.js';

/**
 * TLS 1.2 suites both planes offer: ephemeral ECDH (forward secrecy) with an AEAD cipher only —
 * no static-RSA key exchange, no CBC/SHA-1, no ARIA or CCM (Mozilla's "intermediate" list without
 * DHE). The TLS 1.3 suites are named too: Node turns TLS 1.3 off when `ciphers` lists none.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** What both planes add to their `https` options: protocol floor, suites and the handshake/header timeouts. */
export function tlsServerOptions(config: GatewayConfig): ServerOptions {
  return {
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    handshakeTimeout: config.TLS_HANDSHAKE_TIMEOUT_MS,
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    // Node checks the header and request deadlines on this sweep (default every 30 s, which
    // would stretch a 10 s header timeout to 40 s); once a second costs little.
    connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
  };
}

/** Fastify's own options for the same limits (Fastify sets these on the server after creating it). */
export function fastifyTimeouts(config: GatewayConfig): { keepAliveTimeout: number; requestTimeout: number } {
  return { keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS, requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS };
}

/**
 * Caps the open sockets of one plane, per source address and in all, counted from the TCP
 * accept (before TLS: a socket that never sends a ClientHello costs a descriptor too). A socket
 * over a cap is closed at once; the log says so at most once a minute per plane.
 *
 * Behind a load balancer speaking the PROXY protocol (PROXY_PROTOCOL_FROM), this listener runs
 * once the header is read, and the source address is the caller's: the per-address cap keeps
 * limiting each caller, not the balancer (which would hit it first and cut everyone off). A
 * balancer's socket still waiting for its header counts towards MAX_CONNECTIONS only, for at most
 * TLS_HANDSHAKE_TIMEOUT_MS.
 */
export function limitConnections(server: HttpsServer, config: GatewayConfig, plane: string): void {
  const logger = new Logger('Transport');
  const perAddress = config.MAX_CONNECTIONS_PER_ADDRESS;
  // Node closes sockets beyond this before any listener sees them, and emits 'drop'.
  server.maxConnections = config.MAX_CONNECTIONS;
  const open = new Map<string, number>();
  const refusals = { count: 0 };
  const refused = (why: string) => {
    if (refusals.count++ > 0) return;
    logger.warn(`${plane}: refused a socket (${why}); further refusals are counted for a minute`);
    setTimeout(() => {
      if (refusals.count > 1) logger.warn(`${plane}: refused ${refusals.count - 1} more sockets in the last minute`);
      refusals.count = 0;
    }, 60_000).unref();
  };

  // Before the TLS layer's own listener, so that a refused socket is never wrapped for a handshake.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy(); // already reset by the peer
      return;
    }
    const count = open.get(address) ?? 0;
    if (count >= perAddress) {
      socket.destroy();
      refused(`${address} already holds ${perAddress}, MAX_CONNECTIONS_PER_ADDRESS`);
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  server.on('drop', (data?: { remoteAddress?: string }) => refused(`${data?.remoteAddress ?? 'a client'}: ${config.MAX_CONNECTIONS} open in all, MAX_CONNECTIONS`));
}
