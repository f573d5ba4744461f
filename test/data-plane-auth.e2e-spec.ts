import { jest } from '@jest/globals';
import https from 'node:https';
import jwt from 'jsonwebtoken';
import { Strategy as JwtStrategy } from 'passport-jwt';
import { signingKeyFor } from '../src/shared/config/signing-keys.js';
import { createDevCa } from '../src/pki/dev-pki.js';
import { CertificateAuthority } from '../src/pki/certificate-authority.js';
import { ConnectionSuspensionService } from '../src/security/suspension/connection-suspension.service.js';
import { GatewayHarness, TestClient, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';
import { testKeyPair } from './support/test-keys.js';

const UNIT = 'Bộ Tài chính';

/** A raw HTTPS request, to observe handshake failures that supertest would hide. */
function rawGet(harness: GatewayHarness, cert?: { certPem: string; keyPem: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${harness.baseUrl}/api/v1/task-results`, {
      ca: harness.caPem,
      cert: cert?.certPem,
      key: cert?.keyPem,
      agent: false,
    }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('data plane: mutual TLS and certificate-bound tokens', () => {
  let harness: GatewayHarness;
  let client: TestClient;
  let other: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    client = await harness.connection({ unit: UNIT });
    other = await harness.connection({ unit: 'Bộ Tư pháp' });
  });
  afterAll(() => harness.stop());

  it('refuses a handshake without a client certificate', async () => {
    await expect(rawGet(harness)).rejects.toThrow(/certificate|socket hang up|ECONNRESET|alert/i);
  });

  it('refuses a handshake with a certificate from another CA', async () => {
    const foreignCa = createDevCa('Some other CA');
    const keys = testKeyPair();
    const foreign = new CertificateAuthority(foreignCa.certPem, foreignCa.keyPem).issueClientCertificate({
      publicKeyPem: keys.publicKeyPem,
      subject: { commonName: 'intruder' },
      connectionUri: 'urn:x',
      validityDays: 1,
    });
    await expect(rawGet(harness, { certPem: foreign.pem, keyPem: keys.privateKeyPem })).rejects.toThrow(/unknown ca|certificate|socket hang up|ECONNRESET|alert/i);
  });

  it('issues a short-lived token bound to the presented certificate (RFC 8705)', async () => {
    const response = await harness.call(client, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' }).expect(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', scope: expect.stringContaining('task-results:write') });
    expect(response.body.expires_in).toBeLessThanOrEqual(900);
    const claims = jwt.decode(response.body.access_token) as Record<string, any>;
    const x5t = Buffer.from(client.thumbprint, 'hex').toString('base64url');
    expect(claims).toMatchObject({ sub: client.connectionId, env: 'test', cnf: { 'x5t#S256': x5t } });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
  });

  it('accepts the token request as JSON too, and refuses other grant types naming the field', async () => {
    await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
    const bad = await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'password' }).expect(400);
    expect(bad.body.details).toEqual([{ field: 'grant_type', problem: 'must be client_credentials' }]);
  });

  it('serves a call with the right certificate and token, and refuses a token replayed with another certificate', async () => {
    const token = await harness.token(client);
    await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${token}`).expect(200);
    const replay = await harness.call(other, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${token}`).expect(401);
    expect(replay.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'TOKEN_CERTIFICATE_MISMATCH' });
    expect(replay.body.requestId).toBe(replay.headers['x-request-id']);
  });

  it('refuses a missing, forged or expired token with 401', async () => {
    const missing = await harness.call(client, 'get', '/api/v1/task-results').expect(401);
    expect(missing.body.code).toBe('TOKEN_MISSING');

    const { exp: _exp, iat: _iat, ...claims } = jwt.decode(await harness.token(client)) as Record<string, any>;
    const forged = jwt.sign(claims, 'not-the-gateway-secret-0123456789abcdef', { expiresIn: 600 });
    const forgedResponse = await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(forgedResponse.body.code).toBe('TOKEN_INVALID');

    const none = jwt.sign(claims, '', { algorithm: 'none' as never, expiresIn: 600 });
    await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${none}`).expect(401);

    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ ...claims, iat: now - 1000, exp: now - 10 }, signingKeyFor(harness.config, 'data-plane access token'));
    const expiredResponse = await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(expiredResponse.body.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token it has already accepted once it expires (verified tokens are remembered only until then)', async () => {
    const own = await harness.connection({ unit: UNIT });
    const { exp: _exp, iat: _iat, ...claims } = jwt.decode(await harness.token(own)) as Record<string, any>;
    // Issued on the gateway's clock, which the test then moves past the expiry instead of waiting.
    const shortLived = jwt.sign({ ...claims, iat: Math.floor(harness.clock.nowMs() / 1000) }, signingKeyFor(harness.config, 'data-plane access token'), { expiresIn: 2 });
    const call = () => harness.call(own, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${shortLived}`);
    const verifications = jest.spyOn(JwtStrategy.prototype, 'authenticate');
    try {
      await call().expect(200);
      await call().expect(200);
      expect(verifications).toHaveBeenCalledTimes(1); // the second call skipped passport-jwt
      harness.clock.advance(2000);
      expect((await call().expect(401)).body.code).toBe('TOKEN_EXPIRED');
      expect(verifications).toHaveBeenCalledTimes(2);
    } finally {
      verifications.mockRestore();
    }
  });

  it('accepts only tokens signed with the data-plane key: a control-plane session key makes no token here', async () => {
    // A connection of its own: the 401s of the test above count towards the detector's limit.
    const own = await harness.connection({ unit: UNIT });
    const { exp: _exp, iat: _iat, ...claims } = jwt.decode(await harness.token(own)) as Record<string, any>;
    const session = jwt.sign(claims, signingKeyFor(harness.config, 'control-plane session'), { expiresIn: 600 });
    const refused = await harness.call(own, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${session}`).expect(401);
    expect(refused.body.code).toBe('TOKEN_INVALID');
    const dataPlane = jwt.sign(claims, signingKeyFor(harness.config, 'data-plane access token'), { expiresIn: 600 });
    await harness.call(own, 'get', '/api/v1/task-results').set('Authorization', `Bearer ${dataPlane}`).expect(200);
  });

  it('keeps test and production data apart on the same paths', async () => {
    const production = await harness.connection({ unit: UNIT, env: 'production' });
    const testCaller = await harness.as(client);
    const prodCaller = await harness.as(production);
    await prodCaller.put('/api/v1/task-results/PROD_ONLY').send(taskResult('PROD_ONLY', UNIT)).expect(201);
    await testCaller.get('/api/v1/task-results/PROD_ONLY').expect(404);
    await testCaller.put('/api/v1/task-results/TEST_ONLY').send(taskResult('TEST_ONLY', UNIT)).expect(201);
    await prodCaller.get('/api/v1/task-results/TEST_ONLY').expect(404);
    const prodPull = await prodCaller.get('/api/v1/task-results').expect(200);
    expect(prodPull.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['PROD_ONLY']);
  });

  it('refuses a revoked certificate at the handshake and its tokens at once', async () => {
    const doomed = await harness.connection({ unit: UNIT });
    const caller = await harness.as(doomed);
    await caller.get('/api/v1/task-results').expect(200);
    await harness.revoke(doomed, 'key compromised');
    harness.passCredentialCache(); // revoked through the operator's context: this plane's status cache lives at most 1 s
    await expect(rawGet(harness, doomed)).rejects.toThrow(/socket hang up|ECONNRESET|closed/i);
    await expect(harness.call(doomed, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' })).rejects.toThrow();
  });

  it('answers 403 with a reason code once the connection is suspended', async () => {
    const suspended = await harness.connection({ unit: UNIT });
    const caller = await harness.as(suspended);
    await caller.get('/api/v1/task-results').expect(200); // its token is now a known, verified one
    // As the officer's cut-off does (on this instance: its cached status is dropped at once).
    await harness.app.get(ConnectionSuspensionService).suspend(suspended.connectionId, 'MANUAL_CUT_OFF', 'test officer');
    const refused = await caller.get('/api/v1/task-results').expect(403);
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED', message: expect.stringContaining('MANUAL_CUT_OFF') });
  });

  it('records every call, refused ones too, in the audit log with its request id', async () => {
    const response = await harness.call(client, 'get', '/api/v1/task-results').expect(401);
    const [entry] = await sql(`SELECT * FROM audit_entries WHERE request_id = $1`, [response.body.requestId]);
    expect(entry).toMatchObject({
      plane: 'data',
      method: 'GET',
      path: '/api/v1/task-results',
      status_code: 401,
      outcome: 'rejected',
      error_code: 'TOKEN_MISSING',
      certificate_thumbprint: client.thumbprint,
      source_address: expect.stringContaining('127.0.0.1'),
    });
  });
});
