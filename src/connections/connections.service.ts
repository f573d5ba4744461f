import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ClientCertificateRecord } from '../pki/client-certificate.entity.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import type { CertificateRequestInput } from '../pki/certificate-authority.js';
import { ConnectionState } from './connection-lifecycle.js';
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
 * Registered connections. Until the control plane runs the full lifecycle, operators create
 * ready-to-use connections with `npm run cli -- connections:create` through this service.
 */
@Injectable()
export class ConnectionsService {
  constructor(
    @InjectRepository(Connection) private readonly connections: Repository<Connection>,
    private readonly certificates: ClientCertificatesService,
  ) {}

  /** A connection in TESTING (test certificate) or LIVE (production certificate), with its certificate. */
  async createReady(input: CreateConnectionInput): Promise<{ connection: Connection; certificate: ClientCertificateRecord }> {
    const connection = await this.connections.save(
      this.connections.create({
        name: input.name,
        ownerUnit: normaliseUnit(input.ownerUnit),
        state: input.environment === 'production' ? ConnectionState.LIVE : ConnectionState.TESTING,
        suspensionReason: null,
        scope: {
          ...input.scope,
          writeUnits: input.scope.writeUnits.map(normaliseUnit),
          readUnits: input.scope.readUnits.map(normaliseUnit),
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
