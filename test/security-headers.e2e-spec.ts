import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { resetDatabase } from './support/test-database.js';

/** Helmet's headers, as both planes send them on every response, answered or refused. */
const COMMON = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('security headers on both planes', () => {
  let h: ControlPlaneHarness;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
  });
  afterAll(() => h.stop());

  it('the data plane sends them on answers and refusals, with no content security policy (it serves no pages)', async () => {
    const client = await h.gateway.as(await h.gateway.connection({ unit: 'Bộ Tài chính' }));
    for (const response of [await client.get('/api/v1/task-results?limit=1').expect(200), await client.get('/api/v1/task-results?limit=0').expect(400)]) {
      expect(response.headers).toMatchObject(COMMON);
      expect(response.headers['content-security-policy']).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('the token response is never cached (RFC 6749 §5.1)', async () => {
    const client = await h.gateway.connection({ unit: 'Bộ Tư pháp' });
    const response = await h.gateway.call(client, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' }).expect(200);
    expect(response.body.access_token).toEqual(expect.any(String));
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
  });

  it('the control plane sends them with helmet’s default content security policy', async () => {
    for (const response of [await h.raw('post', '/control/v1/auth/sign-in').send({ username: 'nobody', password: 'x' }), await h.raw('get', '/control/v1/accounts')]) {
      expect(response.status).toBe(401);
      expect(response.headers).toMatchObject(COMMON);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    }
  });
});
