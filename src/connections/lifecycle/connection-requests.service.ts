import type { PageWindow } from '../../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { parseAllowedSources } from '../../security/enforcement/source-address.js';
import { Clock } from '../../calendar/clock.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionAgreement } from '../connection-agreement.entity.js';
import { ConnectionState } from '../connection-lifecycle.js';
import { resolveScopeUnits } from '../../units/scope-units.js';
import { UnitRegisterService } from '../../units/unit-register.service.js';
import { ConnectionScope } from '../connection-scope.js';
import type { Connection } from '../connection.entity.js';
import type { AppraisalDto, RecordAgreementDto, RegisterConnectionDto, ResubmitConnectionDto, SecurityCheckDto, TechnicalDossierDto } from '../dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './connection-lifecycle.service.js';

/** Steps 1-3: registration with the dossier, appraisal, and the signed agreement. */
@Injectable()
export class ConnectionRequestsService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly units: UnitRegisterService,
  ) {}

  async register(actor: Actor, body: RegisterConnectionDto): Promise<Connection> {
    await this.checkDossier(actor, body.dossier);
    return this.lifecycle.create(actor, {
      name: body.name,
      ownerUnit: actor.unit!,
      state: ConnectionState.SUBMITTED,
      dossier: { ...body.dossier },
      scope: { dataSets: [], directions: [], writeUnits: [], readUnits: [] },
      pendingCsrs: [],
    });
  }

  async resubmit(actor: Actor, id: string, body: ResubmitConnectionDto): Promise<Connection> {
    await this.checkDossier(actor, body.dossier);
    return this.lifecycle.run(actor, id, 'resubmit', 'resubmit', body.note ?? null, (connection) => {
      const previous = connection.dossier;
      connection.dossier = { ...body.dossier };
      connection.returnReason = null;
      return { changes: { previousDossier: previous, dossier: connection.dossier } };
    });
  }

  /** The dossier's documents are the unit's own, and its request letter is not dated in the future. */
  private async checkDossier(actor: Actor, dossier: TechnicalDossierDto): Promise<void> {
    await this.lifecycle.documents.assertUsableBy(actor, dossier.securityAssessmentDocumentId, 'dossier.securityAssessmentDocumentId');
    await this.lifecycle.documents.assertUsableBy(actor, dossier.requestLetter.documentId, 'dossier.requestLetter.documentId');
    this.notInFuture(dossier.requestLetter.date, 'dossier.requestLetter.date');
  }

  /**
   * Step 1 (IV.5.đ): DTD records the competent body's security check of the unit's system while
   * the request is under appraisal; a later check replaces it (the history keeps each).
   */
  async recordSecurityCheck(actor: Actor, id: string, body: SecurityCheckDto): Promise<Connection> {
    await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    this.notInFuture(body.checkedOn, 'checkedOn');
    return this.lifecycle.run(actor, id, null, 'securityCheck', body.findings ?? null, (connection) => {
      if (connection.state !== ConnectionState.SUBMITTED) {
        throw ApiError.conflict('ILLEGAL_TRANSITION', `The security check is recorded while the request is under appraisal (SUBMITTED); the connection is ${connection.state}`);
      }
      connection.securityCheck = {
        checkedBy: body.checkedBy,
        checkedOn: body.checkedOn,
        result: body.result,
        findings: body.findings ?? null,
        documentId: body.documentId,
        recordedBy: actor.username,
        recordedAt: new Date().toISOString(),
      };
      return { changes: { securityCheck: connection.securityCheck } };
    });
  }

  /**
   * Step 2. Approval needs the competent body's satisfactory security check on file (IV.5.đ) and
   * records the leadership decision it reported; a return needs neither.
   */
  async appraise(actor: Actor, id: string, body: AppraisalDto): Promise<Connection> {
    const approve = body.decision === 'APPROVE';
    const decision = approve ? body.leadershipDecision! : null;
    if (decision) {
      await this.lifecycle.documents.assertUsableBy(actor, decision.documentId, 'leadershipDecision.documentId');
      this.notInFuture(decision.decidedOn, 'leadershipDecision.decidedOn');
    }
    return this.lifecycle.run(actor, id, approve ? 'approve' : 'return', approve ? 'approve' : 'return', body.reasons, (connection) => {
      if (decision) {
        const check = connection.securityCheck;
        if (!check) throw ApiError.conflict('SECURITY_CHECK_MISSING', 'The request cannot be approved before the competent body\'s security check is recorded (POST …/security-check, IV.5.đ)');
        if (check.result !== 'SATISFACTORY') throw ApiError.conflict('SECURITY_CHECK_UNSATISFACTORY', `The security check by ${check.checkedBy} on ${check.checkedOn} was UNSATISFACTORY: the request cannot be approved`);
        const registered = this.clock.dateOf(connection.createdAt);
        if (decision.decidedOn < registered) {
          throw ApiError.badRequest('Invalid appraisal', [{ field: 'leadershipDecision.decidedOn', problem: `must not be before the connection request was registered (${registered})` }]);
        }
        connection.leadershipDecision = { decidedBy: decision.decidedBy, decidedOn: decision.decidedOn, number: decision.number ?? null, documentId: decision.documentId };
      }
      connection.returnReason = approve ? null : body.reasons;
      return {
        changes: { decision: body.decision, ...(decision ? { leadershipDecision: connection.leadershipDecision, securityCheck: connection.securityCheck } : {}) },
        notice: approve
          ? { kind: 'APPROVED', message: `The connection request "${connection.name}" was approved. Findings: ${body.reasons}` }
          : { kind: 'RETURNED', message: `The connection request "${connection.name}" was returned for revision: ${body.reasons}`, data: { reasons: body.reasons } },
      };
    });
  }

  /** Records the signed minutes as a new agreement version; its scope becomes the enforced one. */
  async recordAgreement(actor: Actor, id: string, body: RecordAgreementDto): Promise<Connection> {
    const badSources = (body.allowedSourceAddresses ?? []).flatMap((entry, n) => {
      try {
        parseAllowedSources([entry]);
        return [];
      } catch (error) {
        return [{ field: `allowedSourceAddresses.${n}`, problem: (error as Error).message }];
      }
    });
    if (badSources.length) throw ApiError.badRequest('Invalid allowed source addresses', badSources);
    await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    const units = await this.scopeUnits(body);
    return this.lifecycle.run(actor, id, 'recordAgreement', 'recordAgreement', null, async (connection, manager) => {
      await this.checkSignedOn(body.signedOn, connection, manager);
      const scope: ConnectionScope = {
        dataSets: body.scope.dataSets,
        directions: body.scope.directions,
        ...(body.scope.directionsByDataSet ? { directionsByDataSet: { ...body.scope.directionsByDataSet } } : {}),
        ...(body.scope.roles ? { roles: { ...body.scope.roles } } : {}),
        writeUnits: units.writeUnits,
        readUnits: units.readUnits,
        quotas: { ...body.quotas },
        allowedSourceAddresses: body.allowedSourceAddresses ?? [],
        classifiedClearance: body.scope.classifiedClearance ?? 'NONE',
      };
      const version = (connection.agreementVersion ?? 0) + 1;
      await manager.save(
        manager.create(ConnectionAgreement, {
          connectionId: connection.id,
          version,
          scope,
          dataFormat: body.dataFormat,
          frequency: body.frequency,
          securityMeasures: body.securityMeasures,
          responsibilities: body.responsibilities,
          incidentHandling: body.incidentHandling,
          signatories: body.signatories.map((s) => ({ ...s })),
          signedOn: body.signedOn,
          documentId: body.documentId,
          recordedBy: actor.accountId,
        }),
      );
      const previousScope = connection.scope;
      connection.scope = scope;
      connection.agreementVersion = version;
      return {
        changes: { agreementVersion: version, documentId: body.documentId, previousScope, scope },
        notice: { kind: 'AGREEMENT_RECORDED', message: `Connection agreement version ${version} (signed ${body.signedOn}) is recorded and now enforced`, data: { version } },
      };
    });
  }

  /**
   * The minutes are signed in the course of this connection's request: not in the future (today in
   * TIMEZONE), not before the request was registered, and not before the version they replace.
   */
  private async checkSignedOn(signedOn: string, connection: Connection, manager: EntityManager): Promise<void> {
    const today = this.clock.today();
    const registered = this.clock.dateOf(connection.createdAt);
    const previous = connection.agreementVersion
      ? await manager.findOneBy(ConnectionAgreement, { connectionId: connection.id, version: connection.agreementVersion })
      : null;
    const problem =
      signedOn > today
        ? `must not be in the future (today is ${today} in ${this.clock.timeZone})`
        : signedOn < registered
          ? `must not be before the connection request was registered (${registered})`
          : previous && signedOn < previous.signedOn
            ? `must not be before the signing of the version it replaces (version ${previous.version}, signed ${previous.signedOn})`
            : null;
    if (problem) throw ApiError.badRequest('Invalid agreement', [{ field: 'signedOn', problem }]);
  }

  private notInFuture(date: string, field: string): void {
    const today = this.clock.today();
    if (date > today) throw ApiError.badRequest('Invalid date', [{ field, problem: `must not be in the future (today is ${today} in ${this.clock.timeZone})` }]);
  }

  /** The agreement's units as register codes; unknown, ambiguous or `*` write units are a 400. */
  private async scopeUnits(body: RecordAgreementDto) {
    let units = resolveScopeUnits(this.units.register(), body.scope);
    if (units.problems.length && (await this.units.refreshOnMiss())) units = resolveScopeUnits(this.units.register(), body.scope);
    if (units.problems.length) throw ApiError.badRequest('Unknown units in the agreed scope', units.problems.map((p) => ({ ...p, field: `scope.${p.field}` })));
    return units;
  }

  agreements(connectionId: string, page?: PageWindow): Promise<ConnectionAgreement[]> {
    return this.db.manager.find(ConnectionAgreement, { where: { connectionId }, order: { version: 'ASC' }, ...page });
  }
}
