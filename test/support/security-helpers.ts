import crypto from 'node:crypto';
import http from 'node:http';
import { sql } from './test-database.js';

/** The Redis the suites share, with a key prefix of their own so runs never see each other's counts. */
export function redisEnv(): { REDIS_URL: string; REDIS_KEY_PREFIX: string } {
  return { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test-${crypto.randomUUID()}:` };
}

/** Polls `probe` until it returns a truthy value, at most `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 3000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function connectionState(connectionId: string): Promise<{ state: string; suspension_reason: string | null }> {
  const [row] = await sql<{ state: string; suspension_reason: string | null }>(`SELECT state, suspension_reason FROM connections WHERE id = $1`, [connectionId]);
  return row;
}

export async function waitUntilSuspended(connectionId: string, timeoutMs = 3000) {
  return waitFor(async () => {
    const row = await connectionState(connectionId);
    return row.state === 'SUSPENDED' ? row : null;
  }, timeoutMs);
}

export interface IncidentRows {
  incident: Record<string, any>;
  evidence: Array<Record<string, any>>;
  alerts: Array<Record<string, any>>;
}

export async function incidentsOf(connectionId: string): Promise<IncidentRows[]> {
  const incidents = await sql(`SELECT * FROM incidents WHERE connection_id = $1 ORDER BY opened_at`, [connectionId]);
  return Promise.all(
    incidents.map(async (incident) => ({
      incident,
      evidence: await sql(`SELECT * FROM incident_evidence WHERE incident_id = $1`, [incident.id]),
      alerts: await sql(`SELECT * FROM security_alerts WHERE incident_id = $1`, [incident.id]),
    })),
  );
}

export const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A loopback webhook receiver that fails the first `failures` deliveries of each alert with 503. */
export class WebhookReceiver {
  readonly received: Array<{ body: any; idempotencyKey: string | undefined; at: number }> = [];
  private readonly attempts = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly failures: number,
    private readonly accepts: (body: any) => boolean,
  ) {}

  /** `failures`: how many times each alert is refused before it is taken; `accepts`: which alerts are ever taken. */
  static async start(failures = 0, accepts: (body: any) => boolean = () => true): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const key = String(req.headers['idempotency-key']);
        const seen = (receiver.attempts.get(key) ?? 0) + 1;
        receiver.attempts.set(key, seen);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (seen <= receiver.failures || !receiver.accepts(body)) {
          res.writeHead(503).end();
          return;
        }
        receiver.received.push({ body, idempotencyKey: key, at: Date.now() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/alerts`, failures, accepts);
    return receiver;
  }

  attemptsFor(alertId: string): number {
    return this.attempts.get(alertId) ?? 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
