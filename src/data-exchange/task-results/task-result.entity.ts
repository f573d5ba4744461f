import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { FlowTrackedRecord } from '../task-flow/flow-state.columns.js';

/** Kết quả thực hiện nhiệm vụ (Appendix II, II.1). Keyed by environment and task code. */
@Entity('task_results')
@Check('CHK_task_results_review_status', `"review_status" IN ('PENDING', 'APPROVED', 'RETURNED')`)
@Check('CHK_task_results_dispute_status', `"dispute_status" IN ('OPEN', 'ANSWERED')`)
@Index('task_results_change_feed', ['environment', 'changeSeq'])
@Index(['environment', 'leadUnit'])
@Index('IDX_task_results_lead_unit_code', ['environment', 'leadUnitCode'])
@Index(['environment', 'taskGroupCode'])
export class TaskResultRecord extends FlowTrackedRecord {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  environment: string;

  @PrimaryColumn({ name: 'task_code', type: 'varchar', length: 100 })
  taskCode: string;

  @Column({ name: 'task_name', type: 'text' })
  taskName: string;

  @Column({ name: 'task_group_code', type: 'varchar', length: 100 })
  taskGroupCode: string;

  @Column({ name: 'task_group_name', type: 'text', nullable: true })
  taskGroupName: string | null;

  @Column({ name: 'lead_unit', type: 'varchar', length: 300 })
  leadUnit: string;

  /** The register's code of the lead unit (null only on records written before the register). */
  @Column({ name: 'lead_unit_code', type: 'varchar', length: 32, nullable: true })
  leadUnitCode: string | null;

  @Column({ name: 'coordinating_units', type: 'text', array: true, default: () => "'{}'" })
  coordinatingUnits: string[];

  @Column({ name: 'coordinating_unit_codes', type: 'text', array: true, default: () => "'{}'" })
  coordinatingUnitCodes: string[];

  @Column({ name: 'assigning_document', type: 'text' })
  assigningDocument: string;

  @Column({ name: 'expected_output', type: 'text', nullable: true })
  expectedOutput: string | null;

  @Column({ name: 'assigned_at', type: 'date' })
  assignedAt: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ type: 'smallint' })
  priority: number;

  @Column({ type: 'varchar', length: 16 })
  result: string;

  @Column({ name: 'completed_at', type: 'date', nullable: true })
  completedAt: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  difficulties: string | null;

  @Column({ type: 'text', nullable: true })
  proposals: string | null;
}
