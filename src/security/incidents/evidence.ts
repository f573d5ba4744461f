import crypto from 'node:crypto';

/** One call as the detector saw it: what an investigator needs to find it again in every log. */
export interface RequestEvidence {
  requestId: string;
  at: string;
  method: string;
  path: string;
  status: number | null;
  errorCode: string | null;
  sourceAddress: string;
  certificateThumbprint: string | null;
  /** What matched, for signature and source-address signals. */
  detail?: string;
  /** For an attack probe: the input that tripped it, as received, at most 200 characters. */
  input?: string;
}

/**
 * Evidence as stored: canonical JSON (object keys sorted, so the same facts always give the same
 * text) and the SHA-256 of that text. The text is kept as is, never re-serialised, so the hash
 * verifies byte for byte.
 */
export function sealEvidence(value: unknown): { content: string; sha256: string } {
  const content = canonicalJson(value);
  return { content, sha256: sha256Hex(content) };
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
