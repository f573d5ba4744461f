import tls from 'node:tls';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const ONE_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String), messageVi: expect.any(String), code: expect.any(String), requestId: expect.any(String) };

/** `{"a":{"a":…}}` nested `depth` levels, as a string (JSON.stringify would itself overflow on deeper ones). */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** What a caller meets at the edges of request parsing, on both planes, in the one error shape. */
describe('request parsing at the edges', () => {
  let h: ControlPlaneHarness;
  let client: Awaited<ReturnType<ControlPlaneHarness['gateway']['as']>>;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    client = await h.gateway.as(await h.gateway.connection({ unit: MOF }));
  });
  afterAll(() => h.stop());

  it('answers deeply nested JSON with 400 naming the problem, on both planes', async () => {
    const responses = [
      await client.put('/api/v1/task-results/DEEP-1').set('Content-Type', 'application/json').send(nested(5000)),
      await client.post('/api/v1/task-results/batch').set('Content-Type', 'application/json').send(`{"items":[${nested(3000)}]}`),
      await h.raw('post', '/control/v1/auth/sign-in').set('Content-Type', 'application/json').send(nested(5000)),
    ];
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        ...ONE_SHAPE,
        code: 'MALFORMED_BODY',
        message: 'The JSON body is nested too deeply',
        details: [{ field: 'body', problem: 'is nested deeper than 32 levels' }],
        requestId: response.headers['x-request-id'],
      });
    }
    // Ordinary nesting still parses and reaches validation.
    const shallow = await client.put('/api/v1/task-results/DEEP-2').set('Content-Type', 'application/json').send(nested(20));
    expect(shallow.status).toBe(400);
    expect(shallow.body.code).toBe('VALIDATION_FAILED');
  });

  it('accepts a DELETE that declares JSON but sends no body', async () => {
    await client.put('/api/v1/task-results/DEL-1').send(taskResult('DEL-1', MOF)).expect(201);
    const response = await client.delete('/api/v1/task-results/DEL-1').set('Content-Type', 'application/json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ taskCode: 'DEL-1', revoked: true });
    // A PUT still needs its body.
    const put = await client.put('/api/v1/task-results/DEL-2').set('Content-Type', 'application/json');
    expect(put.status).toBe(400);
    expect(put.body.code).toBe('MALFORMED_BODY');
  });

  /** What the control plane answers to bytes Node's HTTP parser refuses, read off the socket until it closes. */
  const rawExchange = (bytes: string) =>
    new Promise<{ status: number; headers: string; body: Record<string, unknown> }>((resolve, reject) => {
      const url = new URL(h.controlUrl);
      const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: h.gateway.caPem }, () => socket.write(bytes));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined); // the server closes after answering
      socket.on('close', () => {
        const [head, body] = received.split('\r\n\r\n');
        try {
          resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) });
        } catch (error) {
          reject(new Error(`not one answer: ${JSON.stringify(received)} (${(error as Error).message})`));
        }
      });
    });

  it('answers what is not HTTP at all (a bad method, a control character, oversized headers) in the one shape, with a request id', async () => {
    for (const [bytes, status, code] of [
      ['BREW /control/v1/auth/me HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['GET /control/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      [`GET /control/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431, 'REQUEST_HEADERS_TOO_LARGE'],
    ] as const) {
      const answer = await rawExchange(bytes);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ ...ONE_SHAPE, statusCode: status, code });
      expect(answer.headers).toContain(`x-request-id: ${answer.body.requestId as string}`);
      expect(answer.headers).toContain('x-content-type-options: nosniff');
    }
  });

  it('answers URLs the router refuses (414, 400) in the one shape, without Fastify’s internal codes', async () => {
    const long = 'x'.repeat(300);
    for (const response of [await client.get(`/api/v1/task-results/${long}`), await h.raw('get', `/control/v1/connections/${long}`)]) {
      expect(response.status).toBe(414);
      expect(response.body).toEqual({ ...ONE_SHAPE, code: 'URI_TOO_LONG', message: 'A path parameter is longer than 100 characters', requestId: response.headers['x-request-id'] });
      expect(JSON.stringify(response.body)).not.toContain('FST_');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    const badUrl = await client.get('/api/v1/task-results/%zz');
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toEqual({ ...ONE_SHAPE, code: 'MALFORMED_URL', message: 'The URL is not validly percent-encoded', requestId: badUrl.headers['x-request-id'] });
  });

  it('tells an uploader which content types it accepts when the body was sent as JSON or text', async () => {
    for (const [type, body] of [['application/json', '{"file":"JVBERi0xLjcK"}'], ['text/plain', 'not empty at all']]) {
      const response = await client.post('/api/v1/attachments').set('Content-Type', type).send(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'FILE_TYPE_REFUSED', details: [{ field: 'Content-Type', problem: expect.stringContaining(`${type} is not a file type`) }] });
      expect(response.body.details[0].problem).toContain('application/pdf');
      expect(response.body.details[0].problem).toContain('application/octet-stream');
      expect(JSON.stringify(response.body)).not.toMatch(/empty/);
    }
  });
});
