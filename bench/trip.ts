/**
 * Time from an automatic cut-off to the first refusal on another gateway instance (issue 4:
 * "effective on every instance within one second"). Per trial: a fresh connection keeps calling
 * instance B back to back on one keep-alive TLS connection, while three attack probes go to
 * instance A (ANOMALY_ATTACK_PROBES = 3: the third trips the detector, and A already refuses it
 * with the suspension); the time is from sending that third probe to B's first 403
 * CONNECTION_SUSPENDED, so it includes A's handling of the probe: an upper bound.
 */
import https from 'node:https';
import type { Tls } from './load.js';

export interface TripClient {
  tls: Tls;
  token: string;
}

export interface TripFigures {
  trials: number;
  tripped: number;
  /** Milliseconds, per trial that tripped, sorted. */
  delaysMs: number[];
  /** Calls B answered between the trip and its first refusal, the largest over the trials. */
  maxCallsAnsweredAfterTrip: number;
}

const PROBE = `/api/v1/task-results?taskGroupCode=${encodeURIComponent("' OR 1=1 --")}`;
const CALL = '/api/v1/task-results?limit=1';
const GIVE_UP_MS = 5000;

function call(agent: https.Agent, base: string, path: string, client: TripClient): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${base}${path}`, { agent, headers: { authorization: `Bearer ${client.token}` }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString()) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

async function oneTrial(first: string, second: string, client: TripClient): Promise<{ delayMs: number; answeredAfter: number } | null> {
  const agentOf = () => new https.Agent({ keepAlive: true, maxSockets: 1, cert: client.tls.cert, key: client.tls.key, ca: client.tls.ca });
  const [onFirst, onSecond] = [agentOf(), agentOf()];
  try {
    if ((await call(onSecond, second, CALL, client)).status !== 200) throw new Error('the second instance refused a healthy connection');
    let trippedAt: number | null = null;
    let refusedAt: number | null = null;
    let answeredAfter = 0;
    const poller = (async () => {
      const started = performance.now();
      while (performance.now() - started < GIVE_UP_MS + 5000) {
        const answer = await call(onSecond, second, CALL, client);
        const now = performance.now();
        if (answer.status === 403 && answer.code === 'CONNECTION_SUSPENDED') return void (refusedAt = now);
        if (trippedAt !== null && now > trippedAt) answeredAfter++;
        if (trippedAt !== null && now - trippedAt > GIVE_UP_MS) return;
      }
    })();
    for (let n = 0; n < 2; n++) await call(onFirst, first, PROBE, client);
    // The detector trips while A handles the third probe, before A answers it (A's answer already
    // is the refusal): the clock starts when that probe is sent, so each figure is an upper bound.
    trippedAt = performance.now();
    await call(onFirst, first, PROBE, client);
    await poller;
    return refusedAt === null ? null : { delayMs: (refusedAt as number) - trippedAt, answeredAfter };
  } finally {
    onFirst.destroy();
    onSecond.destroy();
  }
}

export async function measureTripToRefusal(first: string, second: string, clients: TripClient[]): Promise<TripFigures> {
  const delays: number[] = [];
  let maxAnswered = 0;
  for (const client of clients) {
    const result = await oneTrial(first, second, client);
    if (!result) continue;
    delays.push(result.delayMs);
    maxAnswered = Math.max(maxAnswered, result.answeredAfter);
  }
  return { trials: clients.length, tripped: delays.length, delaysMs: delays.sort((a, b) => a - b), maxCallsAnsweredAfterTrip: maxAnswered };
}
