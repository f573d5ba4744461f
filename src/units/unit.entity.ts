import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { UnitKind } from './unit-kinds.js';

/** One entry of the unit register (Đơn vị): the stable code agreements and records refer to. */
@Entity('units')
@Check('CHK_units_kind', `"kind" IN ('PARTY_COMMITTEE_UNDER_CC', 'CENTRAL_PARTY_BODY', 'MINISTRY_OR_CENTRAL_AGENCY', 'PROVINCE', 'COMMUNE')`)
@Index('IDX_units_successor', ['successorCode'])
export class Unit {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'PK_units_code' })
  code: string;

  /** Official Vietnamese name, NFC. */
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ name: 'short_name', type: 'varchar', length: 300 })
  shortName: string;

  @Column({ type: 'varchar', length: 32 })
  kind: UnitKind;

  @Column({ name: 'parent_code', type: 'varchar', length: 32, nullable: true })
  parentCode: string | null;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  /** The last day the unit existed; null while it does. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** The unit it was merged into (its scopes and records pass on to it). */
  @Column({ name: 'successor_code', type: 'varchar', length: 32, nullable: true })
  successorCode: string | null;

  @Column({ name: 'former_names', type: 'text', array: true, default: () => "'{}'" })
  formerNames: string[];

  /** Where the code and the entry come from (law, code list, or "mã do Cổng cấp"). */
  @Column({ type: 'varchar', length: 500 })
  source: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /** The DTD account that last changed it; null for the shipped register. */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;
}
