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
