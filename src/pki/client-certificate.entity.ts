import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Environment } from '../connections/environment.js';

/** The revocation_reason column's width; a person's revocation is refused beyond it (RevokeCertificateDto). */
export const REVOCATION_REASON_MAX = 200;

/** A client certificate the gateway's CA issued to a connection. */
@Entity('client_certificates')
export class ClientCertificateRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ type: 'varchar', length: 16 })
  environment: Environment;

  @Index({ unique: true })
  @Column({ name: 'serial_number', type: 'varchar', length: 64 })
  serialNumber: string;

  /** Lower-case hex SHA-256 of the DER certificate (what `openssl x509 -fingerprint -sha256` shows). */
  @Index({ unique: true })
  @Column({ name: 'thumbprint_sha256', type: 'char', length: 64 })
  thumbprintSha256: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore: Date;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter: Date;

  @Column({ name: 'certificate_pem', type: 'text' })
  certificatePem: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revocation_reason', type: 'varchar', length: REVOCATION_REASON_MAX, nullable: true })
  revocationReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
