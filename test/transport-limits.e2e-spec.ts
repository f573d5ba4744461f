import net from 'node:net';
import tls from 'node:tls';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import type { TestClient } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

/**
 * Sockets that never finish a handshake or a request must not hold either plane's file
 * descriptors. Short limits here; the defaults (gateway-config.ts) are seconds, not minutes.
 * Attackers come from other loopback addresses (127.0.0.2 …) so that the per-address cap they
 * hit is not the legitimate client's (127.0.0.1).
 */
const LIMITS = {
  TLS_HANDSHAKE_TIMEOUT_MS: '1500',
  HTTP_HEADERS_TIMEOUT_MS: '1000',
  HTTP_REQUEST_TIMEOUT_MS: '2000',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
  MAX_CONNECTIONS_PER_ADDRESS: '10',
  MAX_CONNECTIONS: '40',
};
const HANDSHAKE_MS = 1500;
/** Room for timers on a busy machine (and for the 1 s header/request sweep of Node's HTTP server). */
const SLACK_MS = 2000;
const PLANES = ['data plane', 'control plane'];

interface Plane {
  port: number;
  /** What a legitimate client adds to tls.connect: the data plane needs a registered certificate. */
  credentials: () => tls.ConnectionOptions;
  /** A complete request this plane answers without counting it against the caller. */
  request: string;
}

interface RawSocket {
  socket: net.Socket;
  /** Resolves with the milliseconds from connect to close. */
  closed: Promise<number>;
  isClosed: () => boolean;
}

function track(socket: net.Socket): RawSocket {
  const started = Date.now();
  let done = false;
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => {
    done = true;
    resolve(Date.now() - started);
  }));
  return { socket, closed, isClosed: () => done };
}

/** A TCP socket that never speaks TLS, from a chosen loopback address. */
function idleSocket(port: number, localAddress: string): RawSocket {
  return track(net.connect({ host: '127.0.0.1', port, localAddress }));
}

async function connected(sockets: RawSocket[]): Promise<void> {
  await Promise.all(sockets.map((s) => (s.socket.connecting ? new Promise((r) => s.socket.once('connect', r).once('close', r)) : undefined)));
}

/** Resolves with the time it took to close, or null when it is still open after `ms`. */
function closedWithin(s: RawSocket, ms: number): Promise<number | null> {
  return Promise.race([s.closed, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
}

async function tlsSocket(plane: Plane, extra: tls.ConnectionOptions = {}): Promise<RawSocket & { received: () => string }> {
  const socket = tls.connect({ host: '127.0.0.1', port: plane.port, servername: 'localhost', ...plane.credentials(), ...extra });
  let data = '';
  socket.on('data', (chunk) => (data += chunk.toString()));
  const tracked = track(socket);
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  return { ...tracked, received: () => data };
}

async function answered(plane: Plane): Promise<string> {
  const s = await tlsSocket(plane);
  s.socket.write(plane.request);
  for (let i = 0; i < 100 && !/\r\n\r\n/.test(s.received()); i++) await new Promise((r) => setTimeout(r, 50));
  s.socket.destroy();
  return s.received().split('\r\n')[0];
}

describe('transport limits on both planes', () => {
  let h: ControlPlaneHarness;
  let client: TestClient;
  const planes: Record<string, Plane> = {};

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start(LIMITS);
    client = await h.gateway.connection({ unit: 'Bộ Tài chính' });
    const portOf = (app: typeof h.control) => (app.getHttpServer().address() as net.AddressInfo).port;
    const form = 'grant_type=client_credentials';
    planes['data plane'] = {
      port: portOf(h.gateway.app),
      credentials: () => ({ ca: h.gateway.caPem, cert: client.certPem, key: client.keyPem }),
      request: `POST /api/v1/oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    };
    planes['control plane'] = {
      port: portOf(h.control),
      credentials: () => ({ ca: h.gateway.caPem }),
      request: 'GET /control/v1/auth/me HTTP/1.1\r\nHost: localhost\r\n\r\n',
    };
  });
  afterAll(() => h.stop());

  it.each(PLANES)('closes sockets that never start TLS after the handshake timeout (%s)', async (name) => {
    const plane = planes[name];
    const idle = Array.from({ length: 5 }, () => idleSocket(plane.port, '127.0.0.2'));
    await connected(idle);
    const times = await Promise.all(idle.map((s) => closedWithin(s, HANDSHAKE_MS + SLACK_MS)));
    for (const ms of times) {
      expect(ms).not.toBeNull();
      // Accepted and given the handshake timeout, not refused by a cap.
      expect(ms!).toBeGreaterThanOrEqual(HANDSHAKE_MS - 100);
    }
  });

  it.each(PLANES)('refuses sockets beyond the per-address cap at once and still serves others (%s)', async (name) => {
    const plane = planes[name];
    const held = Array.from({ length: 10 }, () => idleSocket(plane.port, '127.0.0.3'));
    await connected(held);
    const extra = Array.from({ length: 5 }, () => idleSocket(plane.port, '127.0.0.3'));
    await connected(extra);
    const extraTimes = await Promise.all(extra.map((s) => closedWithin(s, 500)));
    expect(extraTimes.every((ms) => ms !== null && ms < 500)).toBe(true);

    // Meanwhile (the held sockets are still open) a legitimate client from 127.0.0.1 is answered.
    expect(await answered(plane)).toMatch(/^HTTP\/1\.1 (200|401) /);
    expect(held.filter((s) => s.isClosed())).toHaveLength(0);
    await Promise.all(held.map((s) => s.closed));
  });

  it.each(PLANES)('refuses sockets beyond the overall cap at once (%s)', async (name) => {
    const plane = planes[name];
    // 5 addresses × 10 = 50 sockets, each address within its cap, 40 in all allowed.
    const sockets: RawSocket[] = [];
    // "At once": before the handshake timeout could have closed any of them, however busy the machine.
    const atOnce = Date.now() + HANDSHAKE_MS - 300;
    for (const host of [4, 5, 6, 7, 8]) {
      const batch = Array.from({ length: 10 }, () => idleSocket(plane.port, `127.0.0.${host}`));
      await connected(batch);
      sockets.push(...batch);
    }
    while (sockets.filter((s) => s.isClosed()).length < 10 && Date.now() < atOnce) await new Promise((r) => setTimeout(r, 20));
    const refused = sockets.filter((s) => s.isClosed()).length;
    expect(refused).toBeGreaterThanOrEqual(10);
    expect(sockets.length - refused).toBeLessThanOrEqual(40);
    await Promise.all(sockets.map((s) => s.closed));
    // Once they are gone, the plane serves again.
    expect(await answered(plane)).toMatch(/^HTTP\/1\.1 (200|401) /);
  });

  it.each(PLANES)('closes a TLS socket whose request headers never end (%s)', async (name) => {
    const s = await tlsSocket(planes[name]);
    s.socket.write('GET /control/v1/auth/me HTTP/1.1\r\nHost: localhost\r\n');
    const ms = await closedWithin(s, 1000 + SLACK_MS);
    expect(ms).not.toBeNull();
    expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it.each(PLANES)('closes a request whose body trickles in slower than the request timeout (%s)', async (name) => {
    const s = await tlsSocket(planes[name]);
    s.socket.write('POST /control/v1/auth/sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    // One byte every 250 ms keeps the socket busy, so no idle timer would end it.
    for (let n = 0; n < 28 && !s.isClosed(); n++) {
      await new Promise((r) => setTimeout(r, 250));
      if (!s.isClosed()) s.socket.write(' ');
    }
    expect(s.isClosed()).toBe(true);
    expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it.each(PLANES)('closes an idle keep-alive socket after the keep-alive timeout (%s)', async (name) => {
    const s = await tlsSocket(planes[name]);
    s.socket.write(planes[name].request);
    for (let n = 0; n < 100 && !/\r\n\r\n/.test(s.received()); n++) await new Promise((r) => setTimeout(r, 50));
    expect(s.received()).toMatch(/^HTTP\/1\.1 (200|401) /);
    expect(s.received()).not.toMatch(/connection: close/i);
    const started = Date.now();
    // Node keeps a keep-alive socket one second past keepAliveTimeout, for requests already in flight.
    await Promise.race([s.closed, new Promise((r) => setTimeout(r, 1000 + 1000 + SLACK_MS))]);
    expect(s.isClosed()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it.each(PLANES)('offers TLS 1.2 only with forward secrecy and AEAD (%s)', async (name) => {
    const plane = planes[name];
    const tls12 = (ciphers: string) => tlsSocket(plane, { maxVersion: 'TLSv1.2', ciphers }).then((s) => {
      const cipher = (s.socket as tls.TLSSocket).getCipher().standardName;
      s.socket.destroy();
      return cipher;
    });
    for (const weak of ['AES128-SHA', 'AES256-SHA', 'AES128-SHA256', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
      await expect(tls12(weak)).rejects.toThrow(/handshake failure|no shared cipher|alert|ECONNRESET/i);
    }
    await expect(tls12('ECDHE-RSA-AES128-GCM-SHA256')).resolves.toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    await expect(tls12('ECDHE-RSA-CHACHA20-POLY1305')).resolves.toBe('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    // TLS 1.3 suites are all AEAD with ephemeral keys.
    const s = await tlsSocket(plane);
    expect((s.socket as tls.TLSSocket).getProtocol()).toBe('TLSv1.3');
    s.socket.destroy();
  });
});
