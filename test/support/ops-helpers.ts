import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createOperationsApp } from '../../src/operations/operations-app.js';
import type { ControlPlaneHarness } from './control-plane-harness.js';

/** The operations listener over both planes of a harness, on a free loopback port. */
export async function startOperations(h: ControlPlaneHarness): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await createOperationsApp(h.gateway.config, { data: h.gateway.app, control: h.control });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** The Prometheus text of /metrics. */
export async function scrape(url: string): Promise<string> {
  const response = await request(url).get('/metrics').expect(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
}

/**
 * The value of the one sample of `name` whose labels are exactly `labels` (undefined if there is
 * none). Label values in these tests hold no quotes or backslashes.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const).sort(([a], [b]) => a.localeCompare(b));
    if (found.length === wanted.length && found.every(([k, v], i) => wanted[i][0] === k && wanted[i][1] === v)) return Number(match[3]);
  }
  return undefined;
}
