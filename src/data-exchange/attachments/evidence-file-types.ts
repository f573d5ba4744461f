// file-type 16 is the last CommonJS release (later ones are ESM-only and need Node 22).
import fileType from 'file-type';

/**
 * Evidence files the gateway accepts (IV.5.a: checked for what they really are). The type is
 * sniffed from the bytes by `file-type`; the declared Content-Type must agree with it.
 * Old binary Office files (.doc/.xls) sniff as the generic compound-file container.
 */
export const ALLOWED_EVIDENCE_TYPES: Record<string, string[]> = {
  'application/pdf': ['application/pdf'],
  'image/png': ['image/png'],
  'image/jpeg': ['image/jpeg'],
  'image/tiff': ['image/tiff'],
  'image/webp': ['image/webp'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
  'application/vnd.oasis.opendocument.text': ['application/vnd.oasis.opendocument.text'],
  'application/vnd.oasis.opendocument.spreadsheet': ['application/vnd.oasis.opendocument.spreadsheet'],
  'application/x-cfb': ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-cfb'],
};

export type SniffResult = { ok: true; mediaType: string } | { ok: false; problem: string };

export async function sniffEvidenceType(bytes: Buffer, declared: string | undefined): Promise<SniffResult> {
  const detected = await fileType.fromBuffer(bytes);
  if (!detected || !ALLOWED_EVIDENCE_TYPES[detected.mime]) {
    return {
      ok: false,
      problem: `the content is ${detected?.mime ?? 'not a recognised file type'}; allowed: PDF, PNG, JPEG, TIFF, WebP, Word, Excel, PowerPoint, OpenDocument`,
    };
  }
  const declaredType = declared?.split(';')[0].trim().toLowerCase();
  const aliases = ALLOWED_EVIDENCE_TYPES[detected.mime];
  if (declaredType && declaredType !== 'application/octet-stream' && !aliases.includes(declaredType)) {
    return { ok: false, problem: `declared as ${declaredType} but the content is ${detected.mime}` };
  }
  // Report the declared Office type where the container cannot tell (e.g. application/msword).
  const mediaType = declaredType && aliases.includes(declaredType) ? declaredType : detected.mime;
  return { ok: true, mediaType };
}
