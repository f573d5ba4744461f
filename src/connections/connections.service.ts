import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClientCertificateRecord } from '../pki/client-certificate.entity.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import type { CertificateRequestInput } from '../pki/certificate-authority.js';
import { ConnectionState, type LifecycleAction } from './connection-lifecycle.js';
import { applyTransition, type EventActor, recordEvent } from './lifecycle/connection-transition.js';
import { resolveScopeUnits } from '../units/scope-units.js';
import { UnitRegisterService } from '../units/unit-register.service.js';
import { ConnectionScope, normaliseUnit } from './connection-scope.js';
import { Connection } from './connection.entity.js';
import type { Environment } from './environment.js';

export interface CreateConnectionInput {
  name: string;
  ownerUnit: string;
  environment: Environment;
  scope: ConnectionScope;
  certificateRequest: Omit<CertificateRequestInput, 'connectionUri' | 'validityDays'>;
}

/**
 * Registered connections, and the operators' way to make a ready-to-use one (TESTING or LIVE) with
 * `npm run cli -- connections:create` (refused for production when NODE_ENV=production): it
 * leaves out the people's paperwork (dossier, appraisal, signed agreement, test report), which the
 * control plane records for every connection made through it (lifecycle/), but not the lifecycle
 * itself: the connection is registered and moved through the state table's transitions, each
 * checked by the table and written to its history with the operator as actor.
 */
/** The history's actor of a connection made with `connections:create`. */
const THE_OPERATOR: EventActor = { accountId: null, name: 'operator (npm run cli -- connections:create)', assistantName: null };
const FAST_TRACK = 'Người vận hành tạo sẵn (npm run cli -- connections:create): không có hồ sơ, thẩm định, biên bản thỏa thuận hay biên bản thử nghiệm';
/** Registration to TESTING, as the state table orders it. */
const TO_TESTING: LifecycleAction[] = ['approve', 'recordAgreement', 'configure'];

@Injectable()
export class ConnectionsService {
  constructor(
    @InjectRepository(Connection) private readonly connections: Repository<Connection>,
    private readonly certificates: ClientCertificatesService,
    private readonly units: UnitRegisterService,
  ) {}

  /** A connection in TESTING (test certificate) or LIVE (production certificate), with its certificate. */
  async createReady(input: CreateConnectionInput): Promise<{ connection: Connection; certificate: ClientCertificateRecord }> {
    let units = resolveScopeUnits(this.units.register(), input.scope);
    if (units.problems.length && (await this.units.refreshOnMiss())) units = resolveScopeUnits(this.units.register(), input.scope);
    if (units.problems.length) throw new Error(`Invalid scope: ${units.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
    const scope = { ...input.scope, writeUnits: units.writeUnits, readUnits: units.readUnits };
    const connection = await this.connections.manager.transaction(async (manager) => {
      const registered = await manager.save(manager.create(Connection, { name: input.name, ownerUnit: normaliseUnit(input.ownerUnit), state: ConnectionState.SUBMITTED, suspensionReason: null, scope }));
      await recordEvent(manager, registered, 'register', null, THE_OPERATOR, FAST_TRACK, { scope });
      const steps: LifecycleAction[] = input.environment === 'production' ? [...TO_TESTING, 'passTest', 'goLive'] : TO_TESTING;
      for (const action of steps) await applyTransition(manager, registered, { action, eventName: action, actor: THE_OPERATOR, reason: FAST_TRACK });
      return registered;
    });
    const certificate = await this.certificates.issue(connection.id, input.environment, input.certificateRequest);
    return { connection, certificate };
  }

  findById(id: string): Promise<Connection | null> {
    return this.connections.findOneBy({ id });
  }

  list(): Promise<Connection[]> {
    return this.connections.find({ order: { createdAt: 'ASC' } });
  }
}
