import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role, SecondFactor } from './roles.js';

/** A person's account on the control plane. The person holding it can change (handover, II.2.đ). */
@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 100 })
  username: string;

  @Column({ type: 'varchar', length: 32 })
  role: Role;

  /** The agency a unit administrator acts for; null for DTD-side roles. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  unit: string | null;

  /** The person currently holding the account. */
  @Column({ name: 'holder_name', type: 'varchar', length: 200 })
  holderName: string;

  /** Footnote 6: who the holder is, besides their name (holderName) and unit. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  position: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  email: string | null;

  /**
   * The citizen ID number is personal data: stored encrypted (personal-data.ts), shown masked,
   * read in full only through an audited route. Never selected by default, so no listing or
   * audit lookup loads it by accident.
   */
  @Column({ name: 'citizen_id_encrypted', type: 'text', nullable: true, select: false })
  citizenIdEncrypted?: string | null;

  @Column({ name: 'citizen_id_masked', type: 'varchar', length: 12, nullable: true })
  citizenIdMasked: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  /** When the holder last set their password: it expires PASSWORD_MAX_AGE_DAYS later. */
  @Column({ name: 'password_changed_at', type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt: Date;

  /** Argon2 hashes of the previous passwords (newest first), never the passwords: no reuse of the last PASSWORD_HISTORY. */
  @Column({ name: 'password_history', type: 'jsonb', default: () => "'[]'" })
  passwordHistory: string[];

  /** The second factor this account signs in with; null: its role's (role_sign_in_policies), else TOTP. */
  @Column({ name: 'second_factor', type: 'varchar', length: 24, nullable: true })
  secondFactor: SecondFactor | null;

  /** SHA-256 thumbprint of the sign-in certificate the gateway CA issued for this account. */
  @Column({ name: 'sign_in_certificate_thumbprint', type: 'char', length: 64, nullable: true })
  signInCertificateThumbprint: string | null;

  @Column({ name: 'sign_in_certificate_not_after', type: 'timestamptz', nullable: true })
  signInCertificateNotAfter: Date | null;

  @Column({ name: 'totp_secret', type: 'varchar', length: 64, nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_enrolled', type: 'boolean', default: false })
  totpEnrolled: boolean;

  /** Last accepted TOTP time step: a code is never accepted twice. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep: string | null;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** Bumped on handover and password reset: every session issued before is void. */
  @Column({ name: 'credentials_version', type: 'integer', default: 1 })
  credentialsVersion: number;

  /** False once deactivated (the person left or changed post, III.2.b); the record stays. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  /**
   * SHA-256 of the one-time activation code issued at creation or handover; null once used. The
   * code is split between the administrator and the security officers (accounts.service.ts).
   */
  @Column({ name: 'activation_hash', type: 'char', length: 64, nullable: true })
  activationHash: string | null;

  @Column({ name: 'activation_expires_at', type: 'timestamptz', nullable: true })
  activationExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
