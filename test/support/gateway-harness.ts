import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createDataPlaneApp } from '../../src/bootstrap/data-plane-app.js';
import { CredentialStatusService } from '../../src/auth/credential-status.service.js';
import { CliModule } from '../../src/cli/cli.module.js';
import type { ConnectionScope } from '../../src/connections/connection-scope.js';
import { ConnectionsService } from '../../src/connections/connections.service.js';
import type { Environment } from '../../src/connections/environment.js';
import { periodTypeOf } from '../../src/data-exchange/kpi-results/kpi-period.js';
import { ClientCertificatesService } from '../../src/pki/client-certificates.service.js';
import { AnomalyDetectorService } from '../../src/security/enforcement/anomaly-detector.service.js';
import { GatewayConfig, loadGatewayConfig } from '../../src/shared/config/gateway-config.js';
import { testDatabaseUrl } from './test-database.js';
import { testKeyPair } from './test-keys.js';
import { TestClock } from './test-clock.js';

export interface TestClient {
  connectionId: string;
  certificateId: string;
  thumbprint: string;
  certPem: string;
  keyPem: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A real gateway on a loopback port over mTLS, against the test PostgreSQL. */
export class GatewayHarness {
  /** The gateway's clock (every plane's): tests advance it instead of sleeping. */
  readonly clock = TestClock.install();

  private constructor(
    readonly app: NestFastifyApplication,
    readonly operator: INestApplicationContext,
    readonly config: GatewayConfig,
    readonly baseUrl: string,
    readonly caPem: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<GatewayHarness> {
    const config = loadGatewayConfig({
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-')),
      TOKEN_SIGNING_SECRET: 'test-only-signing-secret-0123456789abcdef',
      PERSONAL_DATA_KEY: 'test-only-personal-data-key-0123456789abcdef',
      TLS_CA_CERT: path.join(ROOT, 'certs-dev/ca/ca.crt.pem'),
      TLS_CA_KEY: path.join(ROOT, 'certs-dev/ca/ca.key.pem'),
      TLS_SERVER_CERT: path.join(ROOT, 'certs-dev/server/server.crt.pem'),
      TLS_SERVER_KEY: path.join(ROOT, 'certs-dev/server/server.key.pem'),
      LOG_LEVEL: 'silent',
      // The suites play a deployment approved for classified records; one suite plays one that is not.
      CLASSIFIED_RECORDS: 'accept',
      ...env,
    });
    const app = await createDataPlaneApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const operator = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false });
    return new GatewayHarness(app, operator, config, `https://127.0.0.1:${port}`, fs.readFileSync(config.TLS_CA_CERT, 'utf8'));
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.operator.close();
  }

  /**
   * A connection ready for the data plane, made as `npm run cli -- connections:create` makes one:
   * registered and moved through the lifecycle's state table (each transition in its history),
   * without the people's paperwork. The journeys through the control plane, paperwork and people
   * included, are in lifecycle-fixtures.ts (onboardToTesting, liveConnection).
   */
  async connection(options: { unit: string; env?: Environment; scope?: Partial<ConnectionScope>; name?: string }): Promise<TestClient> {
    const keys = testKeyPair();
    const { connection, certificate } = await this.operator.get(ConnectionsService).createReady({
      name: options.name ?? `system of ${options.unit}`,
      ownerUnit: options.unit,
      environment: options.env ?? 'test',
      scope: {
        dataSets: ['task-results', 'kpi-results'],
        directions: ['push', 'pull'],
        writeUnits: [options.unit],
        readUnits: [options.unit],
        ...options.scope,
      },
      certificateRequest: { publicKeyPem: keys.publicKeyPem, subject: { commonName: options.name ?? 'test client', organization: options.unit } },
    });
    return {
      connectionId: connection.id,
      certificateId: certificate.id,
      thumbprint: certificate.thumbprintSha256,
      certPem: certificate.certificatePem,
      keyPem: keys.privateKeyPem,
    };
  }

  /**
   * Moves the clock past the credential-status cache: what a change made elsewhere (the control
   * plane, the operator's CLI, another instance) waits for at most before this data plane sees it.
   */
  passCredentialCache(): void {
    this.clock.advance(CredentialStatusService.CACHE_MS);
  }

  /**
   * Waits until every call answered so far has been judged by the anomaly detector (spike counts
   * flushed): one turn of the event loop lets the onResponse hooks of answered calls start, then
   * the detector says when it is done. Instead of sleeping and hoping it was long enough.
   */
  async detectorSettled(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.app.get(AnomalyDetectorService).settled();
  }

  /** Revokes a certificate as an operator would. */
  async revoke(client: TestClient, reason = 'test'): Promise<void> {
    await this.operator.get(ClientCertificatesService).revoke(client.certificateId, reason);
  }

  /** supertest over mTLS presenting `client`'s certificate (or none). */
  call(client: Pick<TestClient, 'certPem' | 'keyPem'> | null, method: 'get' | 'put' | 'post' | 'delete', urlPath: string) {
    const test = request(this.baseUrl)[method](urlPath).ca(this.caPem);
    return client ? test.cert(client.certPem).key(client.keyPem) : test;
  }

  async token(client: TestClient): Promise<string> {
    const response = await this.call(client, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    if (response.status !== 200) throw new Error(`token: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.access_token;
  }

  /** A caller with its certificate and a fresh token, for brevity in tests. */
  async as(client: TestClient) {
    const bearer = `Bearer ${await this.token(client)}`;
    const go = (method: 'get' | 'put' | 'post' | 'delete') => (urlPath: string) =>
      this.call(client, method, urlPath).set('Authorization', bearer);
    return { get: go('get'), put: go('put'), post: go('post'), delete: go('delete'), bearer };
  }
}

export function taskResult(taskCode: string, leadUnit: string, overrides: Record<string, unknown> = {}) {
  return {
    taskCode,
    taskName: `Nhiệm vụ ${taskCode}`,
    taskGroupCode: '57_N02',
    taskGroupName: 'Về xây dựng hoàn thiện thể chế',
    leadUnit,
    coordinatingUnits: ['Bộ Tư pháp'],
    assigningDocument: 'Thông báo số 03-TB/BCĐTW ngày 06/3/2025',
    expectedOutput: 'Nghị định',
    assignedAt: '2026-03-06',
    dueDate: '2027-12-31',
    priority: 2,
    result: 'IN_PROGRESS',
    description: 'Đang dự thảo',
    ...overrides,
  };
}

export function kpiResult(indicatorCode: string, period: string, reportingAgency: string, overrides: Record<string, unknown> = {}) {
  return {
    indicatorGroup: 'A.02 - Chỉ số kết quả, hiệu quả, chuyển biến thực chất và tác động',
    indicatorCode,
    indicatorName: 'Mức đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế.',
    unit: '%',
    periodType: periodTypeOf(period),
    period,
    target: '>55% vào năm 2030',
    reportingAgency,
    periodResult: '46.5',
    cumulativeResult: '47.1',
    ...overrides,
  };
}
