import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { FlowTrackedRecord } from '../task-flow/flow-state.columns.js';

/**
 * Kết quả thực hiện bộ chỉ số (Appendix II, II.2). Keyed by environment, indicator, period and
 * reporting agency (issue 14.5): agencies reporting the same indicator and period do not share a record.
 */
@Entity('kpi_results')
@Check('CHK_kpi_results_review_status', `"review_status" IN ('PENDING', 'APPROVED', 'RETURNED')`)
@Check('CHK_kpi_results_dispute_status', `"dispute_status" IN ('OPEN', 'ANSWERED')`)
@Index('kpi_results_change_feed', ['environment', 'changeSeq'])
@Index(['environment', 'reportingAgency'])
@Index('IDX_kpi_results_reporting_agency_code', ['environment', 'reportingAgencyCode'])
@Index(['environment', 'indicatorGroup'])
export class KpiResultRecord extends FlowTrackedRecord {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  environment: string;

  @Column({ name: 'indicator_group', type: 'text' })
  indicatorGroup: string;

  @PrimaryColumn({ name: 'indicator_code', type: 'varchar', length: 100 })
  indicatorCode: string;

  @Column({ name: 'indicator_name', type: 'text' })
  indicatorName: string;

  @Column({ type: 'varchar', length: 50 })
  unit: string;

  @Column({ type: 'text', nullable: true })
  methodology: string | null;

  @Column({ name: 'period_type', type: 'varchar', length: 16 })
  periodType: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  period: string;

  @Column({ type: 'text', nullable: true })
  target: string | null;

  @Column({ name: 'reporting_agency', type: 'varchar', length: 300 })
  reportingAgency: string;

  /**
   * The register's code of the reporting agency, part of the key. '' only on records written
   * before the register under a name it could not place (the API shows null for it).
   */
  @PrimaryColumn({ name: 'reporting_agency_code', type: 'varchar', length: 32 })
  reportingAgencyCode: string;

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
