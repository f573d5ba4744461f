import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Role, SecondFactor } from './roles.js';

/** The second factor every account of a role signs in with, unless the account sets its own. */
@Entity('role_sign_in_policies')
export class RoleSignInPolicy {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  role: Role;

  @Column({ name: 'second_factor', type: 'varchar', length: 24 })
  secondFactor: SecondFactor;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
