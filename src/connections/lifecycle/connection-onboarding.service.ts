import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { ClientCertificatesService } from '../../pki/client-certificates.service.js';
import { CertificateRequestError } from '../../pki/certificate-authority.js';
import { ApiError } from '../../shared/errors/api-error.js';
import type { Connection } from '../connection.entity.js';
import type { ConfirmTestDto, ConfigureConnectionDto, GoLiveDto, SubmitCsrDto } from '../dto/lifecycle.dto.js';
import type { Environment } from '../environment.js';
import { ConnectionLifecycleService, StepOutcome } from './connection-lifecycle.service.js';

/** Steps 4-6: certificate requests and issuance, testing with both sides' confirmation, go-live. */
@Injectable()
export class ConnectionOnboardingService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly certificates: ClientCertificatesService,
  ) {}

  /** The unit uploads a CSR (its private key never leaves it); DTD issues from it later. */
  submitCsr(actor: Actor, id: string, body: SubmitCsrDto): Promise<Connection> {
    return this.lifecycle.run(actor, id, null, 'submitCsr', null, (connection) => {
      if (connection.state === 'TERMINATED') throw ApiError.conflict('ILLEGAL_TRANSITION', 'The connection is TERMINATED');
      this.checkCsr(body.csrPem);
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
      // RETESTING too: a unit whose credentials were compromised re-tests with a new test certificate.
      const allowed = environment === 'test' ? ['TESTING', 'TEST_PASSED', 'LIVE', 'RETESTING'] : ['LIVE'];
      if (!allowed.includes(connection.state)) {
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

  /** Step 5: each side confirms the test report; when both have, the connection has passed. */
  async confirmTest(actor: Actor, id: string, body: ConfirmTestDto): Promise<Connection> {
    const side = actor.role === Role.UNIT_ADMIN ? 'unit' : 'dtd';
    if (body.reportDocumentId) await this.lifecycle.documents.assertUsableBy(actor, body.reportDocumentId, 'reportDocumentId');
    return this.lifecycle.run(actor, id, 'confirmTest', `confirmTest:${side}`, body.notes ?? null, async (connection) => {
      const now = new Date().toISOString();
      connection.testConfirmation = {
        ...connection.testConfirmation,
        ...(side === 'unit' ? { unitConfirmedAt: now, unitConfirmedBy: actor.username } : { dtdConfirmedAt: now, dtdConfirmedBy: actor.username }),
        ...(body.reportDocumentId ? { reportDocumentId: body.reportDocumentId } : {}),
      };
      return { changes: { testConfirmation: connection.testConfirmation } };
    });
  }

  /** Moves a connection both sides have confirmed to TEST_PASSED (a separate transition in the table). */
  async passTestIfConfirmed(actor: Actor, id: string): Promise<Connection> {
    const current = await this.lifecycle.visible(actor, id);
    if (!current.testConfirmation?.unitConfirmedAt || !current.testConfirmation?.dtdConfirmedAt) return current;
    return this.lifecycle.run(actor, id, 'passTest', 'passTest', null, () => ({
      notice: { kind: 'TEST_PASSED', message: 'Both sides confirmed the test report: the connection may go live on the agreed date' },
    }));
  }

  /** Step 6: switch to official operation; the production certificate is issued from a new CSR. */
  goLive(actor: Actor, id: string, body: GoLiveDto): Promise<Connection> {
    return this.lifecycle.run(actor, id, 'goLive', 'goLive', null, async (connection, manager) => {
      const issued = await this.issueFromPending(connection, 'production', manager);
      connection.goLiveDate = body.goLiveDate;
      connection.reEvaluationDue = addYear(body.goLiveDate);
      return {
        changes: { goLiveDate: body.goLiveDate, reEvaluationDue: connection.reEvaluationDue, ...issued.changes },
        notice: {
          kind: 'LIVE',
          message: `The connection is live from ${body.goLiveDate}; the production certificate is issued. Re-evaluation is due by ${connection.reEvaluationDue}`,
          data: issued.notice?.data,
        },
      };
    });
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

function addYear(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}
