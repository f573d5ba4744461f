import type { PageWindow } from '../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { Environment } from '../connections/environment.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { CertificateAuthority, CertificateRequestInput, publicKeyIdOf } from './certificate-authority.js';
import { ClientCertificateRecord, REVOCATION_REASON_MAX } from './client-certificate.entity.js';

export const CONNECTION_URI_PREFIX = 'urn:vn-gateway:connection:';

/** Issues client certificates to connections and keeps the register of what was issued and revoked. */
@Injectable()
export class ClientCertificatesService {
  constructor(
    private readonly ca: CertificateAuthority,
    private readonly config: GatewayConfig,
    @InjectRepository(ClientCertificateRecord) private readonly certificates: Repository<ClientCertificateRecord>,
  ) {}

  async issue(
    connectionId: string,
    environment: Environment,
    request: Omit<CertificateRequestInput, 'connectionUri' | 'validityDays'>,
    manager: EntityManager = this.certificates.manager,
  ): Promise<ClientCertificateRecord> {
    const issued = this.ca.issueClientCertificate({
      ...request,
      connectionUri: `${CONNECTION_URI_PREFIX}${connectionId}`,
      validityDays: this.config.CLIENT_CERT_VALIDITY_DAYS,
    });
    return manager.save(
      manager.create(ClientCertificateRecord, {
        connectionId,
        environment,
        serialNumber: issued.serialNumber,
        thumbprintSha256: issued.thumbprintSha256,
        subject: issued.subject,
        notBefore: issued.notBefore,
        notAfter: issued.notAfter,
        certificatePem: issued.pem,
        revokedAt: null,
        revocationReason: null,
      }),
    );
  }

  /** Revokes one certificate; returns false when it was unknown or already revoked. */
  async revoke(certificateId: string, reason: string, manager: EntityManager = this.certificates.manager): Promise<boolean> {
    const result = await manager.update(ClientCertificateRecord, { id: certificateId, revokedAt: IsNull() }, { revokedAt: new Date(), revocationReason: revocationReason(reason) });
    return (result.affected ?? 0) > 0;
  }

  async revokeAllOf(connectionId: string, reason: string, manager: EntityManager = this.certificates.manager): Promise<number> {
    const result = await manager.update(ClientCertificateRecord, { connectionId, revokedAt: IsNull() }, { revokedAt: new Date(), revocationReason: revocationReason(reason) });
    return result.affected ?? 0;
  }

  /** Inside a transaction pass its manager: on the embedded database a second connection would wait on it. */
  listFor(connectionId: string, manager: EntityManager = this.certificates.manager, page?: PageWindow): Promise<ClientCertificateRecord[]> {
    return manager.find(ClientCertificateRecord, { where: { connectionId }, order: { createdAt: 'ASC', id: 'ASC' }, ...page });
  }

  /**
   * The connection's certificates (any environment, revoked or not) whose key is the key of
   * `csrPem`: a key once used is not used again for another environment or after revocation.
   */
  async certificatesWithKeyOf(connectionId: string, csrPem: string, manager: EntityManager = this.certificates.manager): Promise<ClientCertificateRecord[]> {
    const keyId = publicKeyIdOf(csrPem);
    return (await this.listFor(connectionId, manager)).filter((c) => publicKeyIdOf(c.certificatePem) === keyId);
  }

  /** Throws CertificateRequestError when a CSR could not be issued from. */
  checkRequest(csrPem: string): void {
    this.ca.checkRequest(csrPem);
  }

  caCertificatePem(): string {
    return this.ca.caCertPem;
  }
}

/**
 * The reason as the certificate keeps it. A termination's reason may be longer (5,000 characters):
 * its whole text is the connection history's, the certificate keeps its beginning rather than
 * failing the termination.
 */
function revocationReason(reason: string): string {
  return reason.length <= REVOCATION_REASON_MAX ? reason : `${reason.slice(0, REVOCATION_REASON_MAX - 1)}…`;
}
