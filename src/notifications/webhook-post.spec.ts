import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson, webhookSignature } from './webhook-post.js';
import { vetWebhookTarget } from './webhook-target.js';

describe('webhook delivery', () => {
  it('signs the timestamp with the body, so a replayed delivery can be told by its age', () => {
    const body = '{"kind":"APPROVED"}';
    const signature = webhookSignature('s3cret', 'd-1', body, 1_800_000_000);
    const expected = crypto.createHmac('sha256', 's3cret').update(`1800000000.d-1.${body}`).digest('hex');
    expect(signature).toBe(`t=1800000000,v1=${expected}`);
    expect(webhookSignature('s3cret', 'd-1', body, 1_800_000_001)).not.toBe(signature);
    expect(webhookSignature('s3cret', 'd-2', body, 1_800_000_000)).not.toBe(signature);
  });

  it('connects to the vetted address, not to what the name resolves to later (DNS rebinding)', async () => {
    let resolutions = 0;
    // First answer public, then internal: what a rebinding name does between check and connect.
    const rebinding = async () => (resolutions++ === 0 ? ['203.0.113.10'] : ['127.0.0.1']);
    const vetted = await vetWebhookTarget('https://hook.example.org/in', false, rebinding);
    expect(vetted).toMatchObject({ address: '203.0.113.10' });
    expect(await vetWebhookTarget('https://hook.example.org/in', false, rebinding)).toEqual({ problem: "is not an allowed target: it points into the gateway's own network" });
    expect(resolutions).toBe(2);
  });

  it('posts to the pinned address whatever the name, with the headers given', async () => {
    const seen: Array<{ host?: string; signature?: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, signature: req.headers['x-gateway-signature'] as string, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // ".invalid" never resolves (RFC 6761): only the pinned address can be reached.
      const url = new URL(`http://receiver.invalid:${port}/hook`);
      const status = await postJson(url, '{"a":1}', { 'x-gateway-signature': 't=1,v1=00' }, '127.0.0.1', 2000);
      expect(status).toBe(204);
      expect(seen).toEqual([{ host: `receiver.invalid:${port}`, signature: 't=1,v1=00', body: '{"a":1}' }]);
      await expect(postJson(url, '{}', {}, null, 2000)).rejects.toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up on a receiver that never answers, however it trickles, once the time is up', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer(() => undefined); // reads the request, never sends a status line
    server.on('connection', (socket) => {
      sockets.add(socket);
      const drip = setInterval(() => socket.write(''), 100);
      socket.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const started = Date.now();
      await expect(postJson(new URL(`http://127.0.0.1:${port}/hook`), '{}', {}, '127.0.0.1', 500)).rejects.toThrow('no answer within 500 ms');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
