import { Logger } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { GatewayConfig } from '../config/gateway-config.js';

/**
 * The PROXY protocol (HAProxy's spec, versions 1 and 2) on both planes' TLS listeners, so that
 * behind a TCP load balancer the gateway still sees the caller's address: the agreement's
 * allowed-source rule, the detector, the audit log's sourceAddress and the sign-in throttle all
 * read `request.ip`, which is the socket's remoteAddress.
 *
 * Why hand-written: the header has to be read off the raw TCP socket before the TLS layer sees
 * a byte, then the socket handed on with the rest of its data. The npm packages found do not fit
 * that: proxy-protocol-js and @balena/proxy-protocol-parser parse a buffer already split out (the
 * socket handling, the part that matters here, would still be ours) and findhit-proxywrap, last
 * published years ago, replaces net.Server wholesale. The two formats are small and fully
 * specified; the parser below is ~80 lines with its own unit tests (proxy-protocol.spec.ts).
 */

/** The caller's address carried by a PROXY header; null for a LOCAL (v2) or UNKNOWN (v1) header. */
export interface ProxiedPeer {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type ParsedHeader =
  | { state: 'incomplete' }
  | { state: 'invalid'; reason: string }
  | { state: 'complete'; length: number; peer: ProxiedPeer | null };

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ');
/** The spec's bound on a v1 line, CRLF included. */
const V1_MAX_LENGTH = 107;

/** Parses a PROXY header at the start of `data`; 'incomplete' while more bytes may make it valid. */
export function parseProxyHeader(data: Buffer): ParsedHeader {
  const v2 = data.subarray(0, V2_SIGNATURE.length);
  if (v2.length > 0 && V2_SIGNATURE.subarray(0, v2.length).equals(v2)) return data.length < 16 ? { state: 'incomplete' } : parseV2(data);
  const v1 = data.subarray(0, V1_PREFIX.length);
  if (v1.length > 0 && V1_PREFIX.subarray(0, v1.length).equals(v1)) return parseV1(data);
  return { state: 'invalid', reason: 'no PROXY header' };
}

function parseV1(data: Buffer): ParsedHeader {
  const end = data.subarray(0, V1_MAX_LENGTH).indexOf('\r\n');
  if (end < 0) return data.length >= V1_MAX_LENGTH ? { state: 'invalid', reason: 'v1 line longer than 107 bytes' } : { state: 'incomplete' };
  const fields = data.subarray(0, end).toString('latin1').split(' ');
  const length = end + 2;
  if (fields[1] === 'UNKNOWN') return { state: 'complete', length, peer: null };
  if (fields.length !== 6 || (fields[1] !== 'TCP4' && fields[1] !== 'TCP6')) return { state: 'invalid', reason: 'malformed v1 line' };
  const family = fields[1] === 'TCP4' ? 'ipv4' : 'ipv6';
  const port = Number(fields[4]);
  if (!ipaddr.isValid(fields[2]) || ipaddr.parse(fields[2]).kind() !== family || !/^\d{1,5}$/.test(fields[4]) || port > 65535) {
    return { state: 'invalid', reason: 'bad v1 source address or port' };
  }
  return { state: 'complete', length, peer: { address: ipaddr.parse(fields[2]).toString(), port, family: family === 'ipv4' ? 'IPv4' : 'IPv6' } };
}

function parseV2(data: Buffer): ParsedHeader {
  if (!data.subarray(0, 12).equals(V2_SIGNATURE)) return { state: 'invalid', reason: 'bad v2 signature' };
  const versionCommand = data[12];
  if (versionCommand >> 4 !== 2) return { state: 'invalid', reason: 'unsupported version' };
  const length = 16 + data.readUInt16BE(14);
  if (data.length < length) return { state: 'incomplete' };
  const command = versionCommand & 0x0f;
  // LOCAL: the balancer speaking for itself (health checks); the socket's own peer stands.
  if (command === 0) return { state: 'complete', length, peer: null };
  if (command !== 1) return { state: 'invalid', reason: 'unknown v2 command' };
  const family = data[13] >> 4;
  const body = data.subarray(16, length);
  // TLVs after the addresses (ALPN, unique id, …) are allowed and ignored.
  if (family === 1 && body.length >= 12) {
    return { state: 'complete', length, peer: { address: ipaddr.fromByteArray([...body.subarray(0, 4)]).toString(), port: body.readUInt16BE(8), family: 'IPv4' } };
  }
  if (family === 2 && body.length >= 36) {
    return { state: 'complete', length, peer: { address: ipaddr.fromByteArray([...body.subarray(0, 16)]).toString(), port: body.readUInt16BE(32), family: 'IPv6' } };
  }
  // AF_UNSPEC (or a Unix socket): no usable address, like LOCAL.
  if (family === 0 || family === 3) return { state: 'complete', length, peer: null };
  return { state: 'invalid', reason: 'address block too short for its family' };
}

/** Whether an address falls in one of the comma-separated addresses or CIDR blocks. */
export function addressMatcher(list: string | undefined): (address: string | undefined) => boolean {
  const ranges = (list ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
  });
  return (address) => {
    if (!address || !ipaddr.isValid(address)) return false;
    const peer = ipaddr.process(address); // ::ffff:a.b.c.d compares as IPv4
    return ranges.some(([range, bits]) => range.kind() === peer.kind() && peer.match(range, bits));
  };
}

/**
 * Reads the PROXY header of every socket from a PROXY_PROTOCOL_FROM address before any other
 * 'connection' listener (the transport limits, then the TLS layer) sees the socket. Call it last,
 * once every 'connection' and 'secureConnection' listener is attached: it wraps the former and
 * goes before the latter. Such a socket is closed when no
 * valid header arrives within TLS_HANDSHAKE_TIMEOUT_MS; with one, it is handed on with its
 * remoteAddress/remotePort/remoteFamily set to the caller's, on the TCP socket (the per-address
 * cap then counts callers, not the balancer) and on the TLS socket built over it (request.ip).
 * A socket from any other address is handed on untouched: a header it sends is only bytes of a
 * broken TLS handshake, never believed.
 */
export function acceptProxyProtocol(server: HttpsServer, config: GatewayConfig, plane: string): void {
  if (!config.PROXY_PROTOCOL_FROM) return;
  const fromBalancer = addressMatcher(config.PROXY_PROTOCOL_FROM);
  const logger = new Logger('ProxyProtocol');
  // A balancer configured without send-proxy would be refused on every socket: say so at most
  // once a minute, with the count, rather than once a socket.
  const refusals = { count: 0 };
  const refused = (why: string) => {
    if (refusals.count++ > 0) return;
    logger.warn(`${plane}: closed a socket from a PROXY_PROTOCOL_FROM address (${why}); further ones are counted for a minute`);
    setTimeout(() => {
      if (refusals.count > 1) logger.warn(`${plane}: closed ${refusals.count - 1} more sockets from load balancers without a valid PROXY header in the last minute`);
      refusals.count = 0;
    }, 60_000).unref();
  };
  const listeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const handOn = (socket: Socket) => {
    for (const listener of listeners) listener.call(server, socket);
  };
  // The TLS socket reads its peer from the same file descriptor, so it is matched to its TCP
  // socket by the (balancer address, port) pair, unique while the TCP socket is open.
  const callers = new Map<string, ProxiedPeer>();

  server.on('connection', (socket: Socket) => {
    if (!fromBalancer(socket.remoteAddress)) return handOn(socket);
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    let received = Buffer.alloc(0);
    const refuse = (why: string) => {
      refused(`${socket.remoteAddress}: ${why}`);
      socket.destroy();
    };
    const timer = setTimeout(() => refuse(`no PROXY header within ${config.TLS_HANDSHAKE_TIMEOUT_MS} ms`), config.TLS_HANDSHAKE_TIMEOUT_MS);
    const stopReading = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
    };
    const onError = () => {
      stopReading();
      socket.destroy();
    };
    // A balancer's bare TCP health check connects and closes: nothing to log.
    const onEnd = () => onError();
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const header = parseProxyHeader(received);
      if (header.state === 'incomplete') return;
      stopReading();
      if (header.state === 'invalid') return refuse(header.reason);
      socket.pause();
      const rest = received.subarray(header.length);
      if (rest.length > 0) socket.unshift(rest); // the TLS layer reads what is buffered first
      if (header.peer) {
        callers.set(key, header.peer);
        socket.once('close', () => callers.delete(key));
        presentAs(socket, header.peer);
      }
      handOn(socket);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
  });

  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const peer = callers.get(`${socket.remoteAddress}|${socket.remotePort}`);
    if (peer) presentAs(socket, peer);
  });
}

/** Own properties shadow net.Socket's getters, which read the file descriptor's peer. */
function presentAs(socket: Socket, peer: ProxiedPeer): void {
  Object.defineProperties(socket, {
    remoteAddress: { value: peer.address, configurable: true },
    remotePort: { value: peer.port, configurable: true },
    remoteFamily: { value: peer.family, configurable: true },
  });
}
