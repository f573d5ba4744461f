import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const INCIDENT_SOURCES = ['DETECTOR', 'SECURITY_OFFICER', 'UNIT_REPORT'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** Appendix III.III step 2: the four severity levels. */
export const SEVERITIES = ['INFORMATION', 'WARNING', 'MEDIUM', 'SERIOUS'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The document a reporting step was done with: số, ngày, recipient, and its uploaded file. */
export interface IncidentStepDocument {
  number: string;
  date: string;
  recipient: string;
  documentId: string;
}

/**
 * A security incident (Appendix III.III) and the dates its response steps were done; the
 * deadlines are computed from `openedAt` (incident-deadlines.ts).
 */
@Entity('incidents')
@Index(['connectionId', 'openedAt'])
@Index(['openedAt'])
export class Incident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The connection concerned; null for an incident not tied to one connection. */
  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @Column({ type: 'varchar', length: 32 })
  source: IncidentSource;

  @Column({ name: 'reason_code', type: 'varchar', length: 64 })
  reasonCode: string;

  /** Null until classified (step 2, due 30 minutes after opening). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  severity: Severity | null;

  @Column({ type: 'text' })
  summary: string;

  /** Who opened it: 'detector', an account id or name, or the reporting unit. */
  @Column({ name: 'opened_by', type: 'varchar', length: 200 })
  openedBy: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /**
   * When the unit detected it (IV.5.d), as it says in its report: the 2-hour duty to notify runs
   * from here. The detector's and officers' incidents are detected when opened unless told
   * otherwise; null only on incidents opened before this was recorded.
   */
  @Column({ name: 'detected_at', type: 'timestamptz', nullable: true })
  detectedAt: Date | null;

  @Column({ name: 'classified_at', type: 'timestamptz', nullable: true })
  classifiedAt: Date | null;

  /** Step 5: reported to the competent authority (due 2 hours after opening). */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @Column({ name: 'report_document', type: 'jsonb', nullable: true })
  reportDocument: IncidentStepDocument | null;

  /** Step 5: official document sent (due 24 hours after opening). */
  @Column({ name: 'official_report_at', type: 'timestamptz', nullable: true })
  officialReportAt: Date | null;

  @Column({ name: 'official_report_document', type: 'jsonb', nullable: true })
  officialReportDocument: IncidentStepDocument | null;

  /** Step 7: post-incident review written (due 7 working days after opening). */
  @Column({ name: 'review_at', type: 'timestamptz', nullable: true })
  reviewAt: Date | null;

  @Column({ name: 'review_document', type: 'jsonb', nullable: true })
  reviewDocument: IncidentStepDocument | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** IV.5.d: when the unit filed its own official report (due 24 hours after it detected the incident). */
  @Column({ name: 'unit_report_at', type: 'timestamptz', nullable: true })
  unitReportAt: Date | null;

  @Column({ name: 'unit_report_document', type: 'jsonb', nullable: true })
  unitReportDocument: IncidentStepDocument | null;
}
