import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClientCertificateRecord } from '../pki/client-certificate.entity.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import type { CertificateRequestInput } from '../pki/certificate-authority.js';
import { ConnectionState } from './connection-lifecycle.js';
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
 * `npm run cli -- connections:create`: it skips the lifecycle's requests, appraisal and
 * agreements, which the control plane records for every connection made through it (lifecycle/).
 */
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
    const connection = await this.connections.save(
      this.connections.create({
        name: input.name,
        ownerUnit: normaliseUnit(input.ownerUnit),
        state: input.environment === 'production' ? ConnectionState.LIVE : ConnectionState.TESTING,
        suspensionReason: null,
        scope: {
          ...input.scope,
          writeUnits: units.writeUnits,
          readUnits: units.readUnits,
        },
      }),
    );
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
