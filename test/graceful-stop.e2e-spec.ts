import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { AUDIT_CHAIN_LOCK } from '../src/audit/chain/audit.service.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { RequestDrain } from '../src/shared/http/request-drain.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';
import { freePort } from './support/ports.js';
import { ensureGatewayBuilt } from './support/builds.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('stopping the gateway', () => {
  beforeAll(() => resetDatabase());

  /**
   * A call that reaches a draining instance (here: pipelined behind a call under way on the same
   * keep-alive socket) gets the one error shape with its request id and is in the audit log; the
   * call under way still completes.
   */
  it('answers calls that arrive during the drain with 503 SHUTTING_DOWN, recorded in the audit log', async () => {
    const h = await GatewayHarness.start();
    h.app.get(AuditCheckpointService).stopPeriodicSealing();
    const client = await h.connection({ unit: 'Bộ Tài chính' });
    const bearer = `Bearer ${await h.token(client)}`;
    const lock = new pg.Client({ connectionString: testDatabaseUrl() });
    await lock.connect();
    const url = new URL(h.baseUrl);
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: h.caPem, cert: client.certPem, key: client.keyPem });
    try {
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      let received = '';
      socket.setEncoding('utf8').on('data', (c) => (received += c));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // Hold the audit chain lock: the first call then waits in its audit write, i.e. is under way.
      await lock.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]);
      const call = (limit: number) => `GET /api/v1/task-results?limit=${limit} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${bearer}\r\n\r\n`;
      socket.write(call(1));
      await waitFor(async () => (await sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0);
      const drained = h.app.get(RequestDrain).drain(10_000);
      // Pipelined: read once the first is answered, while the instance drains. Handed to the kernel
      // (loopback: in the server's socket buffer) before the first call is let go.
      await new Promise<void>((resolve, reject) => socket.write(call(2), (error) => (error ? reject(error) : resolve())));
      await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      await closed; // the 503 says Connection: close
      await drained;

      const [first, second] = parseResponses(received);
      expect(first.status).toBe(200);
      expect(second.status).toBe(503);
      expect(second.headers['connection']).toBe('close');
      expect(second.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('stopping'), messageVi: 'Máy chủ này đang dừng; đề nghị gửi lại yêu cầu', code: 'SHUTTING_DOWN', requestId: second.headers['x-request-id'] });
      const [entry] = await sql<{ status_code: number; error_code: string }>('SELECT status_code, error_code FROM audit_entries WHERE request_id = $1', [second.headers['x-request-id']]);
      expect(entry).toEqual({ status_code: 503, error_code: 'SHUTTING_DOWN' });
    } finally {
      socket.destroy();
      await lock.end();
      await h.stop();
    }
  }, 60_000);

  /**
   * `npm start` as a newcomer runs it, on the embedded database, stopped with SIGTERM: npm and the
   * gateway exit 0, no `node` is left holding the ports, and the embedded database was closed
   * (it removes its embedded-postgres.json only then). The signal comes mid-start-up.
   */
  it('exits 0 on SIGTERM through npm start, leaving no process and the embedded database closed', async () => {
    await ensureGatewayBuilt(); // dist/, as `npm start` builds it
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-stop-'));
    const [dataPort, controlPort, opsPort] = [await freePort(), await freePort(), await freePort()];
    // No DATABASE_URL: the embedded database, as a newcomer's `npm start` runs it.
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATA_PLANE_PORT: String(dataPort), CONTROL_PLANE_PORT: String(controlPort), OPS_PORT: String(opsPort), NODE_OPTIONS: '' };
    delete env.DATABASE_URL;
    const npm = spawn('npm', ['start', '--ignore-scripts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (c) => (output += c));
    npm.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    try {
      // Signalled while still starting (the control plane and the operations listener are not up
      // yet): it finishes starting, then stops as usual.
      await waitFor(async () => output.includes('Data plane (mTLS) listening'), 60_000, 50);
      const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8')) as { pid: number };
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('Stopped');
      expect(alive(info.pid)).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'embedded-postgres.json'))).toBe(false);
      expect(await accepts(dataPort)).toBe(false);
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  }, 120_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true))).once('error', () => resolve(false));
  });
}


/** Responses one after another on a socket (Content-Length bodies, as Fastify sends JSON). */
function parseResponses(raw: string): Array<{ status: number; headers: Record<string, string>; body: unknown }> {
  const out: Array<{ status: number; headers: Record<string, string>; body: unknown }> = [];
  let rest = Buffer.from(raw, 'utf8');
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.subarray(0, end).toString('utf8').split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(rest.subarray(end + 4, end + 4 + length).toString('utf8')) });
    rest = rest.subarray(end + 4 + length);
  }
  return out;
}
