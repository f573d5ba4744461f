import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { parseAllowedSources } from '../../security/source-address.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionAgreement } from '../connection-agreement.entity.js';
import { ConnectionState } from '../connection-lifecycle.js';
import { ConnectionScope, normaliseUnit } from '../connection-scope.js';
import type { Connection } from '../connection.entity.js';
import type { AppraisalDto, RecordAgreementDto, RegisterConnectionDto, ResubmitConnectionDto } from '../dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './connection-lifecycle.service.js';

/** Steps 1-3: registration with the dossier, appraisal, and the signed agreement. */
@Injectable()
export class ConnectionRequestsService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly db: DataSource,
  ) {}

  async register(actor: Actor, body: RegisterConnectionDto): Promise<Connection> {
    await this.lifecycle.documents.assertUsableBy(actor, body.dossier.securityAssessmentDocumentId, 'dossier.securityAssessmentDocumentId');
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
    await this.lifecycle.documents.assertUsableBy(actor, body.dossier.securityAssessmentDocumentId, 'dossier.securityAssessmentDocumentId');
    return this.lifecycle.run(actor, id, 'resubmit', 'resubmit', body.note ?? null, (connection) => {
      const previous = connection.dossier;
      connection.dossier = { ...body.dossier };
      connection.returnReason = null;
      return { changes: { previousDossier: previous, dossier: connection.dossier } };
    });
  }

  appraise(actor: Actor, id: string, body: AppraisalDto): Promise<Connection> {
    const approve = body.decision === 'APPROVE';
    return this.lifecycle.run(actor, id, approve ? 'approve' : 'return', approve ? 'approve' : 'return', body.reasons, (connection) => {
      connection.returnReason = approve ? null : body.reasons;
      return {
        changes: { decision: body.decision },
        notice: approve
          ? { kind: 'APPROVED', message: `The connection request "${connection.name}" was approved. Findings: ${body.reasons}` }
          : { kind: 'RETURNED', message: `The connection request "${connection.name}" was returned for revision: ${body.reasons}`, data: { reasons: body.reasons } },
      };
    });
  }

  /** Records the signed minutes as a new agreement version; its scope becomes the enforced one. */
  recordAgreement(actor: Actor, id: string, body: RecordAgreementDto): Promise<Connection> {
    const badSources = (body.allowedSourceAddresses ?? []).flatMap((entry, n) => {
      try {
        parseAllowedSources([entry]);
        return [];
      } catch (error) {
        return [{ field: `allowedSourceAddresses.${n}`, problem: (error as Error).message }];
      }
    });
    if (badSources.length) throw ApiError.badRequest('Invalid allowed source addresses', badSources);
    return this.lifecycle.run(actor, id, 'recordAgreement', 'recordAgreement', null, async (connection, manager) => {
      const scope: ConnectionScope = {
        dataSets: body.scope.dataSets,
        directions: body.scope.directions,
        ...(body.scope.directionsByDataSet ? { directionsByDataSet: { ...body.scope.directionsByDataSet } } : {}),
        writeUnits: body.scope.writeUnits.map(normaliseUnit),
        readUnits: body.scope.readUnits.map(normaliseUnit),
        quotas: { ...body.quotas },
        allowedSourceAddresses: body.allowedSourceAddresses ?? [],
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
          recordedBy: actor.accountId,
        }),
      );
      const previousScope = connection.scope;
      connection.scope = scope;
      connection.agreementVersion = version;
      return {
        changes: { agreementVersion: version, previousScope, scope },
        notice: { kind: 'AGREEMENT_RECORDED', message: `Connection agreement version ${version} (signed ${body.signedOn}) is recorded and now enforced`, data: { version } },
      };
    });
  }

  agreements(connectionId: string): Promise<ConnectionAgreement[]> {
    return this.db.manager.find(ConnectionAgreement, { where: { connectionId }, order: { version: 'ASC' } });
  }
}
