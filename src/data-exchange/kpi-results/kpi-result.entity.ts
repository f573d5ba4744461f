import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ChangeTrackedRecord } from '../shared/change-tracking.columns.js';

/** Kết quả thực hiện bộ chỉ số (Appendix II, II.2). Keyed by environment, indicator and period. */
@Entity('kpi_results')
@Index('kpi_results_change_feed', ['environment', 'changeSeq'])
@Index(['environment', 'reportingAgency'])
@Index(['environment', 'indicatorGroup'])
export class KpiResultRecord extends ChangeTrackedRecord {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  environment: string;

  @PrimaryColumn({ name: 'indicator_code', type: 'varchar', length: 100 })
  indicatorCode: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  period: string;

  @Column({ name: 'period_type', type: 'varchar', length: 16 })
  periodType: string;

  @Column({ name: 'indicator_group', type: 'text' })
  indicatorGroup: string;

  @Column({ name: 'indicator_name', type: 'text' })
  indicatorName: string;

  @Column({ type: 'varchar', length: 50 })
  unit: string;

  @Column({ type: 'text', nullable: true })
  methodology: string | null;

  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ name: 'reporting_agency', type: 'varchar', length: 300 })
  reportingAgency: string;

  @Column({ name: 'period_result', type: 'varchar', length: 500 })
  periodResult: string;

  @Column({ name: 'cumulative_result', type: 'varchar', length: 500, nullable: true })
  cumulativeResult: string | null;

  @Column({ name: 'progress_description', type: 'text', nullable: true })
  progressDescription: string | null;

  @Column({ type: 'text', nullable: true })
  difficulties: string | null;

  @Column({ type: 'text', nullable: true })
  proposals: string | null;
}
