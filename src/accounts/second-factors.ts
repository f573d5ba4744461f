import type { PageWindow } from '../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { IsNull, Repository } from 'typeorm';
import { CertificateAuthority, CertificateRequestError } from '../pki/certificate-authority.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import type { Actor } from './actor.js';
import type { PresentedCertificate } from './presented-certificate.js';
import { RoleSignInPolicy } from './role-sign-in-policy.entity.js';
import { Role, SecondFactor } from './roles.js';

/** What a person's sign-in certificate names, beside its subject: the account, not a connection. */
export const ACCOUNT_URI_PREFIX = 'urn:vn-gateway:account:';

/**
 * The second factor of each account (III.2.c): TOTP by default; a client certificate issued by
 * the gateway CA for the account, chosen per account or for a whole role (e.g. heads of units).
 *
 * The control-plane listener asks every caller for a certificate but requires none
 * (control-plane-app.ts); at sign-in, an account whose factor is CLIENT_CERTIFICATE must have
 * presented, on that very TLS connection, the certificate registered for it: its chain checked by
 * TLS against the gateway CA and again here, its SHA-256 thumbprint equal to the registered one,
 * within its validity. A connection's certificate (same CA) is refused: it is not registered to
 * the account, and an account's certificate is unknown to the data plane for the same reason.
 */
@Injectable()
export class SecondFactors {
  private readonly ca: crypto.X509Certificate;

  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(RoleSignInPolicy) private readonly policies: Repository<RoleSignInPolicy>,
    private readonly authority: CertificateAuthority,
    private readonly config: GatewayConfig,
  ) {
    this.ca = new crypto.X509Certificate(fs.readFileSync(config.TLS_CA_CERT));
  }

  async of(account: Pick<Account, 'secondFactor' | 'role'>): Promise<SecondFactor> {
    if (account.secondFactor) return account.secondFactor;
    return (await this.policies.findOneBy({ role: account.role }))?.secondFactor ?? SecondFactor.TOTP;
  }

  certificateMatches(account: Pick<Account, 'signInCertificateThumbprint'>, presented: PresentedCertificate | null | undefined): boolean {
    if (!presented?.authorized || !presented.raw?.length || !account.signInCertificateThumbprint) return false;
    try {
      const certificate = new crypto.X509Certificate(presented.raw);
      const now = Date.now();
      const thumbprint = crypto.createHash('sha256').update(certificate.raw).digest('hex');
      return (
        certificate.checkIssued(this.ca) &&
        certificate.verify(this.ca.publicKey) &&
        new Date(certificate.validFrom).getTime() <= now &&
        now < new Date(certificate.validTo).getTime() &&
        crypto.timingSafeEqual(Buffer.from(thumbprint, 'hex'), Buffer.from(account.signInCertificateThumbprint, 'hex'))
      );
    } catch {
      return false;
    }
  }

  /**
   * Issues the holder's sign-in certificate from a CSR they made (their key never leaves them) and
   * registers its thumbprint to the account; a certificate registered before stops counting.
   */
  async enrolCertificate(accountId: string, csrPem: string, actor: Actor) {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account) throw ApiError.notFound('No such account');
    if (!account.active) throw ApiError.conflict('ACCOUNT_DEACTIVATED', 'The account is deactivated; reactivate it first');
    let issued;
    try {
      issued = this.authority.issueClientCertificate({ csrPem, connectionUri: `${ACCOUNT_URI_PREFIX}${account.id}`, validityDays: this.config.SIGN_IN_CERTIFICATE_VALIDITY_DAYS });
    } catch (error) {
      if (error instanceof CertificateRequestError || /csr|certification request|OID/i.test((error as Error).message)) {
        throw ApiError.badRequest('Invalid certificate signing request', [{ field: 'csrPem', problem: `${(error as Error).message} (a PEM PKCS#10 request for an RSA key)` }]);
      }
      throw error;
    }
    await this.accounts.manager.transaction(async (manager) => {
      await manager.update(Account, { id: account.id }, { signInCertificateThumbprint: issued.thumbprintSha256, signInCertificateNotAfter: issued.notAfter });
      const details = { thumbprint: issued.thumbprintSha256, serialNumber: issued.serialNumber, subject: issued.subject, notAfter: issued.notAfter.toISOString(), by: actor.username };
      await manager.save(manager.create(AccountEvent, { accountId: account.id, kind: 'SIGN_IN_CERTIFICATE_ISSUED', actorId: actor.accountId, details }));
    });
    return { certificatePem: issued.pem, caCertificatePem: this.authority.caCertPem, thumbprint: issued.thumbprintSha256, notAfter: issued.notAfter };
  }

  /** Null: the account follows its role's policy. */
  async setForAccount(accountId: string, factor: SecondFactor | null, actor: Actor) {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account) throw ApiError.notFound('No such account');
    if (factor === SecondFactor.CLIENT_CERTIFICATE && !account.signInCertificateThumbprint) {
      throw ApiError.conflict('NO_SIGN_IN_CERTIFICATE', 'Issue the holder a sign-in certificate first (POST /accounts/{id}/sign-in-certificate): without it they could not sign in');
    }
    await this.accounts.manager.transaction(async (manager) => {
      await manager.update(Account, { id: account.id }, { secondFactor: factor });
      await manager.save(manager.create(AccountEvent, { accountId: account.id, kind: 'SECOND_FACTOR_SET', actorId: actor.accountId, details: { secondFactor: factor, previous: account.secondFactor, by: actor.username } }));
    });
    return { accountId: account.id, secondFactor: factor, effective: await this.of({ ...account, secondFactor: factor }) };
  }

  /**
   * The factor for a whole role. Refused while an active account of the role that follows the
   * role's policy has no sign-in certificate: switching would shut its holder out.
   */
  async setForRole(role: Role, factor: SecondFactor, actor: Actor) {
    if (factor === SecondFactor.CLIENT_CERTIFICATE) {
      const without = await this.accounts.find({ where: { role, active: true, secondFactor: IsNull(), signInCertificateThumbprint: IsNull() }, select: { username: true } });
      if (without.length) {
        throw ApiError.conflict('NO_SIGN_IN_CERTIFICATE', `These ${role} accounts have no sign-in certificate yet: ${without.map((a) => a.username).join(', ')}`);
      }
    }
    await this.policies.save(this.policies.create({ role, secondFactor: factor, updatedBy: actor.accountId }));
    return this.policies.findOneByOrFail({ role });
  }

  listPolicies(page: PageWindow): Promise<RoleSignInPolicy[]> {
    return this.policies.find({ order: { role: 'ASC' }, ...page });
  }
}
