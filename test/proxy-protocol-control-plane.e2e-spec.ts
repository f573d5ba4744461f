import net from 'node:net';
import tls from 'node:tls';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { BALANCER_SOURCE, mtlsCall } from './support/haproxy.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql } from './support/test-database.js';

const SIGN_IN = '/control/v1/auth/sign-in';
/** An HTTP reverse proxy listed in CONTROL_PLANE_TRUSTED_PROXIES, itself behind the TCP balancer. */
const HTTP_PROXY = '127.0.7.1';
const PER_ADDRESS = 3;

/**
 * The control plane behind a TCP load balancer: the PROXY header names the caller for the audit
 * log and the sign-in throttle, and CONTROL_PLANE_TRUSTED_PROXIES (X-Forwarded-For) keeps working
 * on top of it. (test/haproxy-topology.e2e-spec.ts covers the data plane with a real HAProxy.)
 */
describe('control plane: PROXY protocol from the listed balancer, X-Forwarded-For from listed proxies', () => {
  let h: ControlPlaneHarness;
  const port = () => Number(new URL(h.controlUrl).port);

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ PROXY_PROTOCOL_FROM: BALANCER_SOURCE, CONTROL_PLANE_TRUSTED_PROXIES: HTTP_PROXY, MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS) });
  });
  afterAll(() => h.stop());

  /** A failed sign-in arriving as the balancer would pass it on; the address the audit log recorded. */
  async function signInRecordedAs(proxyHeader: string | undefined, headers: Record<string, string> = {}, from = BALANCER_SOURCE) {
    const response = await mtlsCall({
      port: port(),
      ca: h.gateway.caPem,
      method: 'POST',
      path: SIGN_IN,
      localAddress: from,
      proxyHeader,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'nobody.here', password: 'wrong-password-1' }),
    });
    expect(response.status).toBe(401);
    const requestId = String(response.headers['x-request-id']);
    const [row] = await waitFor(async () => {
      const rows = await sql<{ source_address: string }>(`SELECT source_address FROM audit_entries WHERE request_id = $1`, [requestId]);
      return rows.length ? rows : null;
    });
    return row.source_address;
  }

  it('records the caller named by the PROXY header (v1), not the balancer, and ignores a client-sent X-Forwarded-For', async () => {
    const header = (source: string) => `PROXY TCP4 ${source} 127.0.0.1 40123 ${port()}\r\n`;
    expect(await signInRecordedAs(header('198.51.100.7'))).toBe('198.51.100.7');
    expect(await signInRecordedAs(header('198.51.100.7'), { 'x-forwarded-for': '203.0.113.66' })).toBe('198.51.100.7');
  });

  it('believes X-Forwarded-For when the PROXY header names a listed reverse proxy', async () => {
    expect(await signInRecordedAs(`PROXY TCP4 ${HTTP_PROXY} 127.0.0.1 40124 ${port()}\r\n`, { 'x-forwarded-for': '198.51.100.8' })).toBe('198.51.100.8');
  });

  it('from the balancer without a header: closed; from an unlisted address: served as before, header or not', async () => {
    await expect(signInRecordedAs(undefined)).rejects.toThrow();
    expect(await signInRecordedAs(undefined, {}, '127.0.0.1')).toBe('127.0.0.1');
    await expect(signInRecordedAs(`PROXY TCP4 198.51.100.9 127.0.0.1 40125 ${port()}\r\n`, {}, '127.0.0.1')).rejects.toThrow();
  });

  it('MAX_CONNECTIONS_PER_ADDRESS counts the callers behind the balancer, not the balancer', async () => {
    const open: tls.TLSSocket[] = [];
    /** A TLS socket through "the balancer" for `caller`, held open; whether the gateway kept it. */
    const hold = (caller: string) =>
      new Promise<'open' | 'closed'>((resolve) => {
        const raw = net.connect({ host: '127.0.0.1', port: port(), localAddress: BALANCER_SOURCE });
        raw.write(`PROXY TCP4 ${caller} 127.0.0.1 ${40000 + open.length} ${port()}\r\n`);
        const socket = tls.connect({ socket: raw, ca: h.gateway.caPem, servername: 'localhost' });
        open.push(socket);
        socket.once('secureConnect', () => resolve('open'));
        socket.once('error', () => resolve('closed'));
        socket.once('close', () => resolve('closed'));
      });
    try {
      const first = [];
      for (let i = 0; i < PER_ADDRESS; i++) first.push(await hold('198.51.100.20'));
      expect(first).toEqual(Array(PER_ADDRESS).fill('open'));
      expect(await hold('198.51.100.20')).toBe('closed');
      // Past the cap from the balancer's own address, other callers still get in.
      expect([await hold('198.51.100.21'), await hold('198.51.100.22')]).toEqual(['open', 'open']);
    } finally {
      for (const socket of open) socket.destroy();
    }
  });
});
