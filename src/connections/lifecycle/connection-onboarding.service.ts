import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { ClientCertificatesService } from '../../pki/client-certificates.service.js';
import { CertificateRequestError, publicKeyIdOf } from '../../pki/certificate-authority.js';
import { Clock } from '../../calendar/clock.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { mayUse } from '../connection-scope.js';
import type { Connection } from '../connection.entity.js';
import type { ConfirmTestDto, ConfigureConnectionDto, GoLiveDto, SubmitCsrDto, TestReportDto } from '../dto/lifecycle.dto.js';
import { TEST_AREAS, type TestConfirmation } from './lifecycle-records.js';
import type { Environment } from '../environment.js';
import { mayIssueCertificate } from '../certificate-issuance-states.js';
import { ConnectionLifecycleService, StepOutcome, THE_GATEWAY } from './connection-lifecycle.service.js';
import { testExchange } from './test-exchange.js';

/** Steps 4-6: certificate requests and issuance, testing with both sides' confirmation, go-live. */
@Injectable()
export class ConnectionOnboardingService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly certificates: ClientCertificatesService,
    private readonly clock: Clock,
  ) {}

  /** The unit uploads a CSR (its private key never leaves it); DTD issues from it later. */
  submitCsr(actor: Actor, id: string, body: SubmitCsrDto): Promise<Connection> {
    return this.lifecycle.run(actor, id, null, 'submitCsr', null, async (connection, manager) => {
      if (connection.state === 'TERMINATED') throw ApiError.conflict('ILLEGAL_TRANSITION', 'The connection is TERMINATED');
      this.checkCsr(body.csrPem);
      await this.assertNewKey(connection, body.environment, body.csrPem, manager);
      connection.pendingCsrs = [
        ...connection.pendingCsrs.filter((p) => p.environment !== body.environment),
        { environment: body.environment, csrPem: body.csrPem, submittedAt: new Date().toISOString(), submittedBy: actor.username },
      ];
      return { changes: { csrSubmitted: body.environment } };
    });
  }

  /** Step 4: unit identifier, technical account (the connection id) and the test certificate. */
  configure(actor: Actor, id: string, body: ConfigureConnectionDto): Promise<Connection> {
    return this.lifecycle.run(actor, id, 'configure', 'configure', null, async (connection, manager) => {
      connection.unitCode = body.unitCode;
      const issued = await this.issueFromPending(connection, 'test', manager);
      return {
        changes: { unitCode: body.unitCode, technicalAccount: connection.id, ...issued.changes },
        notice: {
          kind: 'CONFIGURED',
          message: `Configured: unit identifier ${body.unitCode}, technical account ${connection.id}; the test certificate is issued and the test environment is open`,
          data: issued.notice?.data,
        },
      };
    });
  }

  /** Renewal or re-issue from the pending CSR of an environment (live connections only get production ones). */
  issue(actor: Actor, id: string, environment: Environment): Promise<Connection> {
    return this.lifecycle.run(actor, id, null, 'issueCertificate', null, async (connection, manager) => {
      if (!mayIssueCertificate(environment, connection.state)) {
        throw ApiError.conflict('ILLEGAL_TRANSITION', `Cannot issue a ${environment} certificate to a connection that is ${connection.state}`);
      }
      return this.issueFromPending(connection, environment, manager);
    });
  }

  revoke(actor: Actor, connectionId: string, certificateId: string, reason: string): Promise<Connection> {
    return this.lifecycle.run(actor, connectionId, null, 'revokeCertificate', reason, async (connection, manager) => {
      const owned = (await this.certificates.listFor(connection.id, manager)).some((c) => c.id === certificateId);
      if (!owned || !(await this.certificates.revoke(certificateId, reason, manager))) throw ApiError.notFound('No valid certificate with that id on this connection');
      return {
        changes: { revokedCertificate: certificateId },
        notice: { kind: 'CERTIFICATE_REVOKED', message: `Certificate ${certificateId} was revoked: ${reason}`, data: { certificateId } },
      };
    });
  }

  /**
   * Step 5: DTD files the test report — its document and the functional, performance and security
   * results. A new report replaces the last and clears both confirmations: each side confirms the
   * report on file, not an earlier one.
   */
  async fileTestReport(actor: Actor, id: string, body: TestReportDto): Promise<Connection> {
    await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    return this.lifecycle.run(actor, id, 'confirmTest', 'testReport', null, async (connection, manager) => {
      await this.assertTestExchanged(connection, manager);
      const results = Object.fromEntries(TEST_AREAS.map((area) => [area, { result: body.results[area].result, notes: body.results[area].notes }]));
      connection.testConfirmation = {
        report: { documentId: body.documentId, results: results as NonNullable<TestConfirmation['report']>['results'], recordedAt: new Date().toISOString(), recordedBy: actor.username },
      };
      return { changes: { testReport: connection.testConfirmation.report } };
    });
  }

  /** Step 5: each side confirms the test report on file; when both have and every area passed, the connection has passed. */
  async confirmTest(actor: Actor, id: string, body: ConfirmTestDto): Promise<Connection> {
    const side = actor.role === Role.UNIT_ADMIN ? 'unit' : 'dtd';
    return this.lifecycle.run(actor, id, 'confirmTest', `confirmTest:${side}`, body.notes ?? null, async (connection, manager) => {
      await this.assertTestExchanged(connection, manager);
      const report = connection.testConfirmation?.report;
      if (!report) throw ApiError.conflict('TEST_REPORT_MISSING', 'There is no test report to confirm: DTD files it first (POST …/test-report) with its document and the functional, performance and security results');
      const now = new Date().toISOString();
      connection.testConfirmation = {
        ...connection.testConfirmation,
        ...(side === 'unit' ? { unitConfirmedAt: now, unitConfirmedBy: actor.username } : { dtdConfirmedAt: now, dtdConfirmedBy: actor.username }),
        reportDocumentId: report.documentId,
      };
      return { changes: { testConfirmation: connection.testConfirmation } };
    });
  }

  /** Moves a connection both sides have confirmed, with every area passed, to TEST_PASSED (a separate transition in the table). */
  async passTestIfConfirmed(actor: Actor, id: string): Promise<Connection> {
    const current = await this.lifecycle.visible(actor, id);
    if (testReportProblem(current.testConfirmation)) return current;
    return this.lifecycle.run(actor, id, 'passTest', 'passTest', null, () => ({
      notice: { kind: 'TEST_PASSED', message: 'Both sides confirmed the test report: the connection may go live on the agreed date' },
    }));
  }

  /**
   * Step 6: switch to official operation on the agreed date; the production certificate is issued
   * from a new CSR at once, so the unit can install it. A date after today (in TIMEZONE) schedules
   * the switch: production stays closed until GoLiveScheduler opens it on that date.
   */
  goLive(actor: Actor, id: string, body: GoLiveDto): Promise<Connection> {
    const scheduled = body.goLiveDate > this.clock.today();
    return this.lifecycle.run(actor, id, scheduled ? 'scheduleGoLive' : 'goLive', scheduled ? 'scheduleGoLive' : 'goLive', null, async (connection, manager) => {
      // TEST_PASSED already means both confirmed; checked again here so that a connection that
      // passed before the report's results were required does not go live without them.
      const problem = testReportProblem(connection.testConfirmation);
      if (problem) throw ApiError.conflict('TEST_REPORT_INCOMPLETE', `The connection cannot go live: ${problem}`);
      const issued = await this.issueFromPending(connection, 'production', manager);
      connection.goLiveDate = body.goLiveDate;
      connection.reEvaluationDue = addYear(body.goLiveDate);
      const { name, phone, email } = body.incidentContact;
      connection.incidentContact = { name, phone, email, recordedAt: new Date().toISOString() };
      return {
        changes: { goLiveDate: body.goLiveDate, reEvaluationDue: connection.reEvaluationDue, incidentContact: connection.incidentContact, ...issued.changes },
        notice: {
          kind: scheduled ? 'GO_LIVE_SCHEDULED' : 'LIVE',
          message: scheduled
            ? `The connection goes live on ${body.goLiveDate}; the production certificate is issued now and opens production on that date. Re-evaluation is due by ${connection.reEvaluationDue}`
            : `The connection is live from ${body.goLiveDate}; the production certificate is issued. Re-evaluation is due by ${connection.reEvaluationDue}`,
          data: issued.notice?.data,
        },
      };
    });
  }

  /** The agreed date has come (in TIMEZONE): production opens. Taken by the gateway itself. */
  openProduction(id: string): Promise<Connection> {
    return this.lifecycle.run(THE_GATEWAY, id, 'openProduction', 'openProduction', null, (connection) => {
      if (!connection.goLiveDate || connection.goLiveDate > this.clock.today()) {
        throw ApiError.conflict('NOT_YET_LIVE', `Production opens on ${connection.goLiveDate}, not before`);
      }
      return {
        changes: { goLiveDate: connection.goLiveDate },
        notice: { kind: 'LIVE', message: `The connection is live from ${connection.goLiveDate}: the production certificate now reaches production data` },
      };
    });
  }

  /**
   * Step 5 means tested on real exchanges: no side may confirm the test report while the
   * reconciliation shows nothing exchanged. A connection agreed to push must have pushed test
   * records; one that only pulls must have read a data set successfully.
   */
  private async assertTestExchanged(connection: Connection, manager: EntityManager): Promise<void> {
    const exchanged = await testExchange(manager, connection.id);
    const pushes = mayUse(connection.scope, 'task-results', 'push') || mayUse(connection.scope, 'kpi-results', 'push');
    if (pushes ? exchanged.recordsPushed > 0 : exchanged.successfulReads > 0) return;
    throw ApiError.conflict(
      'NOTHING_EXCHANGED_IN_TEST',
      pushes
        ? 'The test report cannot be confirmed: the connection has pushed no records to the test environment yet (see GET …/test-reconciliation)'
        : 'The test report cannot be confirmed: the connection has not read any data set in the test environment yet (see GET …/test-reconciliation)',
    );
  }

  /**
   * Test and production use different key pairs, and a key once certified is not certified again
   * for the other environment: test credentials live on test machines and must never reach
   * production (step 5). A production key is new to the connection: no earlier certificate, of
   * either environment, and not the pending test request, has it; a test key is not a production one.
   */
  private async assertNewKey(connection: Connection, environment: Environment, csrPem: string, manager: EntityManager): Promise<void> {
    const reused = (await this.certificates.certificatesWithKeyOf(connection.id, csrPem, manager)).filter(
      (c) => environment === 'production' || c.environment === 'production',
    );
    const otherEnvironment: Environment = environment === 'test' ? 'production' : 'test';
    const pending = connection.pendingCsrs.find((p) => p.environment === otherEnvironment);
    const samePending = pending ? publicKeyIdOf(pending.csrPem) === publicKeyIdOf(csrPem) : false;
    if (!reused.length && !samePending) return;
    const what = reused.length
      ? `the key of the connection's ${reused[0].environment} certificate ${reused[0].id}${reused[0].revokedAt ? ' (revoked)' : ''}`
      : `the key of the pending ${otherEnvironment} certificate request`;
    throw ApiError.badRequest(
      'The certificate request reuses a key',
      [{ field: 'csrPem', problem: `its public key is ${what}: a ${environment} certificate needs a new key pair` }],
      'KEY_REUSED',
    );
  }

  private checkCsr(csrPem: string): void {
    try {
      this.certificates.checkRequest(csrPem);
    } catch (error) {
      if (error instanceof CertificateRequestError) throw ApiError.badRequest('The certificate request cannot be used', [{ field: 'csrPem', problem: error.message }], 'CSR_REFUSED');
      throw error;
    }
  }

  private async issueFromPending(connection: Connection, environment: Environment, manager: EntityManager): Promise<StepOutcome> {
    const pending = connection.pendingCsrs.find((p) => p.environment === environment);
    if (!pending) throw ApiError.conflict('CSR_MISSING', `The unit has not uploaded a ${environment} certificate request yet`);
    try {
      // Checked again at issuance: a request pending from before the rule must not slip through.
      await this.assertNewKey(connection, environment, pending.csrPem, manager);
      const certificate = await this.certificates.issue(connection.id, environment, { csrPem: pending.csrPem }, manager);
      connection.pendingCsrs = connection.pendingCsrs.filter((p) => p !== pending);
      return {
        changes: { issuedCertificate: { id: certificate.id, environment, thumbprint: certificate.thumbprintSha256 } },
        notice: {
          kind: 'CERTIFICATE_ISSUED',
          message: `A ${environment} certificate was issued, valid until ${certificate.notAfter.toISOString()}`,
          data: { certificateId: certificate.id, environment, certificatePem: certificate.certificatePem },
        },
      };
    } catch (error) {
      if (error instanceof CertificateRequestError) throw ApiError.badRequest('The certificate request cannot be used', [{ field: 'csrPem', problem: error.message }], 'CSR_REFUSED');
      throw error;
    }
  }
}

/** Why the test report does not yet allow go-live (step 5), or null when it does. */
export function testReportProblem(confirmation: TestConfirmation | null): string | null {
  const report = confirmation?.report;
  if (!report) return 'no test report with functional, performance and security results is on file';
  const failed = TEST_AREAS.filter((area) => report.results[area]?.result !== 'PASS');
  if (failed.length) return `the test report records ${failed.join(', ')} as not passed`;
  const missing = [!confirmation.unitConfirmedAt && 'the unit', !confirmation.dtdConfirmedAt && 'DTD'].filter(Boolean);
  return missing.length ? `the test report is not confirmed by ${missing.join(' and ')}` : null;
}

function addYear(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}
