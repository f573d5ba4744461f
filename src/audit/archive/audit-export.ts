import fs from 'node:fs';
import type { ChainedEntry } from '../chain/audit-chain.js';
import type { CheckpointRecord } from '../checkpoints/audit-checkpoint.js';
import { type AuditRange, type Queryable, readEntries } from './audit-log-reader.js';
import { publicKeyFromPem, type TrustedKeys, trustedKeys } from '../checkpoints/audit-signing-key.js';
import { type VerificationReport, verifyAuditChain } from '../chain/audit-verifier.js';

/**
 * v2: entries carry `format` and the fields of `audit-entry/v2` (actor, action, target, payload
 * digest, details). A v1 file (entries of format 1 only) still reads and verifies.
 */
export const EXPORT_FORMAT = 'gateway-audit-export/v2';
const READABLE_FORMATS: readonly string[] = ['gateway-audit-export/v1', EXPORT_FORMAT];

/**
 * An audit log extract that verifies without the database: the entries of whole checkpoints, the
 * checkpoints (with the one just before, which anchors the first entry) and the public keys that
 * signed them. Whoever relies on it should compare the key ids with the ones the gateway's
 * operator publishes (`audit:public-key`), or pass their own copy of the key to the verifier.
 */
export interface AuditExport {
  format: string;
  exportedAt: string;
  requested: { from: string | null; to: string | null };
  startSeq: string;
  endSeq: string | null;
  publicKeys: Array<{ keyId: string; publicKeyPem: string }>;
  checkpoints: CheckpointRecord[];
  entries: ChainedEntry[];
}

/**
 * The export as text, one entry per line, in chunks: a large range never sits in memory whole
 * (the CLI writes it to a file, the auditors' API streams it).
 */
export async function* exportChunks(
  db: Queryable,
  range: AuditRange,
  keys: TrustedKeys,
  requested: { from?: Date; to?: Date },
  counts: { entries: number } = { entries: 0 },
): AsyncGenerator<string> {
  const head: Omit<AuditExport, 'entries'> = {
    format: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    requested: { from: requested.from?.toISOString() ?? null, to: requested.to?.toISOString() ?? null },
    startSeq: range.startSeq,
    endSeq: range.endSeq,
    publicKeys: [...keys.entries()].map(([keyId, key]) => ({ keyId, publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString() })),
    checkpoints: range.checkpoints,
  };
  yield `${JSON.stringify(head, null, 1).replace(/\n}$/, ',\n "entries": [')}\n`;
  let pending = '';
  if (range.endSeq !== null) {
    for await (const entry of readEntries(db, range.startSeq, range.endSeq)) {
      pending += `${counts.entries++ ? ',\n' : ''}${JSON.stringify(entry)}`;
      if (pending.length >= 64 * 1024) {
        yield pending;
        pending = '';
      }
    }
  }
  yield `${pending}\n]}\n`;
}

/** Writes the export to a file. */
export async function writeExport(
  db: Queryable,
  range: AuditRange,
  keys: TrustedKeys,
  requested: { from?: Date; to?: Date },
  file: string,
): Promise<{ entries: number; checkpoints: number }> {
  // An inverted range holds nothing: an empty export of it would pass for "nothing happened".
  if (requested.from && requested.to && requested.to < requested.from) {
    throw new RangeError(`to (${requested.to.toISOString()}) is before from (${requested.from.toISOString()}): nothing to export`);
  }
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  const write = (text: string) => new Promise<void>((resolve, reject) => {
    out.write(text, (error) => (error ? reject(error) : resolve()));
  });
  const counts = { entries: 0 };
  try {
    for await (const chunk of exportChunks(db, range, keys, requested, counts)) await write(chunk);
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  return { entries: counts.entries, checkpoints: range.checkpoints.length };
}

export function readExport(file: string): AuditExport {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditExport;
  if (!READABLE_FORMATS.includes(data?.format)) throw new Error(`${file} is not an audit export (${READABLE_FORMATS.join(' or ')})`);
  return data;
}

/**
 * Verifies an export offline. Trusts `pinnedKeys` when given, otherwise the keys in the file
 * (whose ids the report shows, to be compared with the published ones).
 */
export function verifyExport(data: AuditExport, pinnedKeys?: TrustedKeys): { report: VerificationReport; keyIds: string[]; pinned: boolean } {
  const keys = pinnedKeys ?? embeddedKeys(data);
  const report = verifyAuditChain(data.entries, {
    startSeq: data.startSeq,
    endSeq: data.endSeq ?? undefined,
    checkpoints: data.checkpoints,
    trustedKeys: keys,
  });
  return { report, keyIds: [...keys.keys()], pinned: pinnedKeys !== undefined };
}

function embeddedKeys(data: AuditExport): TrustedKeys {
  const keys = trustedKeys(data.publicKeys.map((k) => publicKeyFromPem(k.publicKeyPem)));
  for (const k of data.publicKeys) {
    if (!keys.has(k.keyId)) throw new Error(`the export's key id ${k.keyId} is not the SHA-256 of its public key`);
  }
  return keys;
}
