import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ConnectionScope } from './connection-scope.js';

export interface Signatory {
  name: string;
  position: string;
  organisation: string;
}

/** Step 3: the signed connection agreement. A change is a new version; old versions stay readable. */
@Entity('connection_agreements')
@Unique(['connectionId', 'version'])
export class ConnectionAgreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ type: 'integer' })
  version: number;

  /** Scope, quotas and allowed source addresses: what the data plane enforces. */
  @Column({ type: 'jsonb' })
  scope: ConnectionScope;

  @Column({ name: 'data_format', type: 'text' })
  dataFormat: string;

  @Column({ type: 'text' })
  frequency: string;

  @Column({ name: 'security_measures', type: 'text' })
  securityMeasures: string;

  @Column({ type: 'text' })
  responsibilities: string;

  @Column({ name: 'incident_handling', type: 'text' })
  incidentHandling: string;

  @Column({ type: 'jsonb' })
  signatories: Signatory[];

  @Column({ name: 'signed_on', type: 'date' })
  signedOn: string;

  /** The signed minutes' scan (an uploaded document); null on versions recorded before it was required. */
  @Column({ name: 'document_id', type: 'uuid', nullable: true })
  documentId: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
