import tls from 'node:tls';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { Role } from '../src/accounts/roles.js';
import { kpiResult, taskResult } from './support/gateway-harness.js';
import { dossier, PDF } from './support/lifecycle-fixtures.js';
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

  /** What a fuzzing of every operation found answered 500: each now a 400 or 404 naming the problem. */
  describe('odd values a fuzzer sends', () => {
    it('refuses U+0000 in a body, naming the field (PostgreSQL text cannot hold it); in a batch only its item', async () => {
      const put = await client.put('/api/v1/task-results/NUL-1').send(taskResult('NUL-1', MOF, { description: 'a\u0000b' })).expect(400);
      expect(put.body.details).toEqual([{ field: 'description', problem: 'must not contain the NUL character (U+0000)' }]);
      const signIn = await h.raw('post', '/control/v1/auth/sign-in').send({ username: 'a\u0000b', password: 'x' }).expect(400);
      expect(signIn.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'username', problem: 'must not contain the NUL character (U+0000)' }] });
      const batch = await client.post('/api/v1/task-results/batch').send({ items: [taskResult('NUL-GOOD', MOF), taskResult('NUL-BAD', MOF, { proposals: 'x\u0000' })] }).expect(200);
      expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'rejected']);
      expect(batch.body.items[1].errors).toEqual([{ field: 'proposals', problem: 'must not contain the NUL character (U+0000)' }]);
    });

    it('answers null or doubled values where a unit, a key or a query value is expected with 400, and a batch keeps its good items', async () => {
      const nullUnit = await client.put('/api/v1/task-results/NULL-UNIT').send(taskResult('NULL-UNIT', MOF, { leadUnit: null })).expect(400);
      expect(nullUnit.body.details).toEqual([{ field: 'leadUnit', problem: 'is required (or leadUnitCode)' }]);
      const batch = await client.post('/api/v1/task-results/batch').send({ items: [taskResult('NULL-OK', MOF), taskResult('x', MOF, { taskCode: null })] }).expect(200);
      expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'rejected']);
      expect(batch.body.items[1].errors).toContainEqual({ field: 'taskCode', problem: 'is required' });
      await client.put('/api/v1/kpi-results/ODD.01/2026').send(kpiResult('ODD.01', '2026', MOF)).expect(201);
      const twice = await client.get('/api/v1/kpi-results/ODD.01/2026?reportingAgencyCode=A&reportingAgencyCode=B').expect(400);
      expect(twice.body.details.map((d: { field: string }) => d.field)).toEqual(['reportingAgencyCode']);
      const twicePut = await client.put('/api/v1/kpi-results/ODD.01/2026?reportingAgencyCode=A&reportingAgencyCode=B').send(kpiResult('ODD.01', '2026', MOF)).expect(400);
      expect(twicePut.body.details).toEqual([{ field: 'reportingAgencyCode', problem: 'must be given once' }]);
    });

    it('refuses an array where an object is expected, a webhook the DTD has none of, and an incident about no such connection', async () => {
      const admin = await h.bootstrapAdmin();
      const unit = h.as(await h.person(admin, 'odd.unit', Role.UNIT_ADMIN, MOF));
      const scan = (await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
      const asArray = await unit.post('/control/v1/connections').send({ name: 'Mảng', dossier: [] }).expect(400);
      expect(asArray.body.details).toContainEqual({ field: 'dossier', problem: 'must be an object' });
      const contactArray = await unit.post('/control/v1/connections').send({ name: 'Mảng', dossier: { ...dossier(scan), businessContact: [] } }).expect(400);
      expect(contactArray.body.details).toContainEqual({ field: 'dossier.businessContact', problem: 'must be an object' });
      await h.as(await h.person(admin, 'odd.reviewer', Role.DTD_REVIEWER)).get('/control/v1/notifications/webhook').expect(404);
      const officer = h.as(await h.person(admin, 'odd.officer', Role.SECURITY_OFFICER));
      await officer.post('/control/v1/incidents').send({ connectionId: '00000000-0000-4000-8000-000000000000', reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét' }).expect(404);
      expect((await officer.get('/control/v1/incidents').expect(200)).body.items).toEqual([]);
    });
  });
});
