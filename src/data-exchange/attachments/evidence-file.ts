import crypto from 'node:crypto';
import { Column, CreateDateColumn } from 'typeorm';
import { ApiError } from '../../shared/errors/api-error.js';
import { ALLOWED_EVIDENCE_TYPES, sniffEvidenceType } from './evidence-file-types.js';

/** Columns of a stored file: evidence attachments (data plane) and filed documents (control plane). */
export abstract class StoredFileColumns {
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'media_type', type: 'varchar', length: 200 })
  mediaType: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export type InspectedFile = Pick<StoredFileColumns, 'fileName' | 'mediaType' | 'sizeBytes' | 'sha256' | 'content'>;

/**
 * IV.5.a: a file sent in is checked before it is kept — not empty, within the size limit, of an
 * allowed type sniffed from its bytes (the declared Content-Type must agree), hashed — and its
 * name is reduced to a harmless label.
 */
export async function inspectEvidenceFile(bytes: unknown, declaredType: string | undefined, rawName: string | undefined, maxBytes: number): Promise<InspectedFile> {
  if (!Buffer.isBuffer(bytes)) {
    // JSON and text bodies are parsed before they get here: the bytes are gone, only the type is wrong.
    const accepted = [...new Set(Object.values(ALLOWED_EVIDENCE_TYPES).flat()), 'application/octet-stream'].join(', ');
    const problem = `${declaredType?.split(';')[0].trim() || 'this type'} is not a file type accepted for uploads; send the file's own type (${accepted})`;
    throw ApiError.badRequest('The body must be the file itself, sent with its file type', [{ field: 'Content-Type', problem }], 'FILE_TYPE_REFUSED');
  }
  if (bytes.length === 0) {
    throw ApiError.badRequest('The body must be the file itself', [{ field: 'body', problem: 'is empty' }]);
  }
  if (bytes.length > maxBytes) throw ApiError.tooLarge(`Files are limited to ${maxBytes} bytes`);
  const sniffed = await sniffEvidenceType(bytes, declaredType);
  if (!sniffed.ok) {
    throw ApiError.badRequest('The file is not an allowed evidence type', [{ field: 'Content-Type', problem: sniffed.problem }], 'FILE_TYPE_REFUSED');
  }
  return {
    fileName: fileLabel(rawName),
    mediaType: sniffed.mediaType,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    content: bytes,
  };
}

/** Strict: bytes that are not UTF-8 throw instead of becoming U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The file's name as the uploader wrote it. Percent-encoded UTF-8 is the documented form; a name
 * sent as raw UTF-8 bytes (curl -H 'X-File-Name: Báo cáo.pdf') reaches Node as one character per
 * byte (headers are Latin-1), and is read back as UTF-8 when its bytes are valid UTF-8.
 */
export function fileLabel(raw: string | undefined): string {
  if (!raw) return 'file';
  let name = raw;
  if (/[\u0080-\u00ff]/.test(name) && !/[^\u0000-\u00ff]/.test(name)) {
    try {
      name = UTF8.decode(Buffer.from(name, 'latin1'));
    } catch {
      /* Latin-1 after all: keep it as sent */
    }
  }
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep it as sent */
  }
  // No paths, no control characters: the name is only a label.
  return name.replace(/[\\/]/g, '_').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255) || 'file';
}
