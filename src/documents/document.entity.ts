import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { StoredFileColumns } from '../data-exchange/attachments/evidence-file.js';

/** A document filed on the control plane: assessments, test reports, remediation confirmations. */
@Entity('documents')
export class ControlDocument extends StoredFileColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The agency that filed it (null for DTD-side uploads). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  unit: string | null;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;
}
