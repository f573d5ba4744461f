import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { StoredFileColumns } from './evidence-file.js';

/** An evidence file (tài liệu sở cứ) pushed by a connected system. */
@Entity('attachments')
export class Attachment extends StoredFileColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  environment: string;

  @Column({ name: 'uploaded_by_connection', type: 'uuid' })
  uploadedByConnection: string;
}
