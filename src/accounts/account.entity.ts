import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './roles.js';

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

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

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

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
