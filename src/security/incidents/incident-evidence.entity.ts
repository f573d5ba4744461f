import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Incident } from './incident.entity.js';

/**
 * Evidence preserved with an incident (Appendix III.III step 3). `content` is the exact JSON text
 * that was hashed, so `sha256` verifies it byte for byte; a database trigger refuses UPDATE and
 * DELETE of these rows.
 */
@Entity('incident_evidence')
@Index(['incidentId'])
export class IncidentEvidence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  /** What kind of evidence: 'requests' (the calls that tripped a detector), 'report', 'note'. */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'text' })
  content: string;

  /** Lower-case hex SHA-256 of `content` as UTF-8. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 200 })
  recordedBy: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
