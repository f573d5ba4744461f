import type { INestApplicationContext } from '@nestjs/common';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditCheckpointService } from '../audit/audit-checkpoint.service.js';
import { readExport, verifyExport, writeExport } from '../audit/audit-export.js';
import { resolveRange, verifyStoredLog } from '../audit/audit-log-reader.js';
import { AuditSigningKey, publicKeyFromPem, signingKeyPath, type TrustedKeys, trustedKeys } from '../audit/audit-signing-key.js';
import type { VerificationReport } from '../audit/audit-verifier.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { type Command, UsageError } from './commands.js';

/** Operator commands over the audit log (tamper evidence, guidance IV.4). */
export const AUDIT_COMMANDS: Record<string, Command> = {
  'audit:verify': {
    summary: 'Recompute the audit hash chain and checkpoints; exit 1 at the first mismatch',
    usage: `[--from ISO] [--to ISO] | --file EXPORT.json
      [--public-key PEM]...   (also trust this key; with --file, trust only the keys given)`,
    async run(app, argv, print) {
      // (`--file` is handled before any database is opened: runAuditCommandOffline.)
      const { values } = parseArgs({ args: argv, options: { ...RANGE_OPTIONS, 'public-key': { type: 'string', multiple: true } } });
      const bounds = rangeOf(values);
      const db = app.get(DataSource);
      const keys = gatewayKeys(app.get(GatewayConfig), values['public-key']);
      const range = await resolveRange(db, bounds);
      const report = await verifyStoredLog(db, range, keys);
      printReport(report, [...keys.keys()], print);
    },
  },

  'audit:export': {
    summary: 'Write audit entries, their checkpoints and the public key to a file that verifies offline',
    usage: '--out FILE.json [--from ISO] [--to ISO]   (widened to whole checkpoints)',
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { ...RANGE_OPTIONS, out: { type: 'string' } } });
      if (!values.out) throw new UsageError('--out is required');
      const bounds = rangeOf(values);
      const db = app.get(DataSource);
      const keys = gatewayKeys(app.get(GatewayConfig), undefined);
      const range = await resolveRange(db, bounds);
      const written = await writeExport(db, range, keys, bounds, values.out);
      print(`wrote ${values.out}: entries seq ${range.startSeq}..${range.endSeq ?? '(none)'} (${written.entries}), ${written.checkpoints} checkpoints`);
      print(`verify it with: npm run cli -- audit:verify --file ${values.out}`);
    },
  },

  'audit:seal': {
    summary: 'Seal the audit entries written since the last checkpoint now (the gateway does it every minute)',
    usage: '',
    async run(app, _argv, print) {
      const service = new AuditCheckpointService(app.get(DataSource), app.get(GatewayConfig));
      const sealed = await service.seal();
      if (sealed.length === 0) print('nothing to seal');
      for (const c of sealed) print(`checkpoint ${c.id}: entries seq ${c.firstSeq}..${c.lastSeq} (${c.entryCount}), ${c.periodStart} .. ${c.periodEnd}`);
    },
  },

  'audit:public-key': {
    summary: "Print the key id and public key that sign audit checkpoints (publish them)",
    usage: '',
    async run(app, _argv, print) {
      const config = app.get(GatewayConfig);
      const key = AuditSigningKey.loadOrCreate(config);
      print(`key id ${key.keyId}  (${signingKeyPath(config)})`);
      print(key.publicKeyPem().trimEnd());
    },
  },
};

/**
 * `audit:verify --file` needs neither configuration nor database: the CLI runs it before
 * connecting. Returns undefined for every other command line.
 */
export function runAuditCommandOffline(name: string | undefined, argv: string[], print: (line: string) => void): Promise<void> | undefined {
  if (name !== 'audit:verify' || !argv.some((a) => a === '--file' || a.startsWith('--file='))) return undefined;
  return (async () => {
    const { values } = parseArgs({ args: argv, options: { file: { type: 'string' }, 'public-key': { type: 'string', multiple: true } } });
    const pinned = values['public-key']?.length ? readKeys(values['public-key']) : undefined;
    const data = readExport(values.file!);
    const { report, keyIds } = verifyExport(data, pinned);
    if (!pinned) print('trusting the public key(s) in the file: compare the key id with the one the gateway publishes, or pass --public-key');
    printReport(report, keyIds, print);
  })();
}

const RANGE_OPTIONS = { from: { type: 'string' }, to: { type: 'string' } } as const;

function rangeOf(values: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const parse = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO 8601 date or time`);
    return date;
  };
  return { from: parse('from', values.from), to: parse('to', values.to) };
}

/** The gateway's own key (from DATA_DIR) plus any the operator names (older, rotated keys). */
function gatewayKeys(config: GatewayConfig, extra: string[] | undefined): TrustedKeys {
  const keys = readKeys(extra ?? []);
  try {
    const own = AuditSigningKey.loadOrCreate(config);
    keys.set(own.keyId, own.publicKey);
  } catch (error) {
    if (keys.size === 0) throw new UsageError(`${(error as Error).message}; or name the public key with --public-key`);
  }
  return keys;
}

function readKeys(files: string[]): TrustedKeys {
  return trustedKeys(files.map((file) => publicKeyFromPem(fs.readFileSync(file, 'utf8'))));
}

function printReport(report: VerificationReport, keyIds: string[], print: (line: string) => void): void {
  const span = report.endSeq === null ? 'no entries' : `seq ${report.startSeq}..${report.endSeq}`;
  print(`audit log ${span}: ${report.entriesChecked} entries, ${report.checkpointsChecked} checkpoints checked`);
  print(`trusted signing keys: ${keyIds.join(', ') || '(none)'}`);
  if (report.sealedThroughSeq !== null) print(`sealed through seq ${report.sealedThroughSeq}`);
  if (report.unsealedEntries > 0) print(`${report.unsealedEntries} entries after the last checkpoint: chained, not yet sealed`);
  if (!report.anchored) print(`note: nothing trusted precedes seq ${report.startSeq}; its link to earlier entries is not checked`);
  if (report.ok) {
    print('OK: the hash chain and every checkpoint verify');
    return;
  }
  print(`FAILED: ${report.failureCount} problem(s); the first at seq ${report.failures[0].seq}:`);
  for (const f of report.failures.slice(0, 20)) print(`  seq ${f.seq}  [${f.kind}]  ${f.message}`);
  if (report.failureCount > 20) print(`  … and ${report.failureCount - 20} more`);
  throw new AuditVerificationFailed(report);
}

export class AuditVerificationFailed extends Error {
  constructor(readonly report: VerificationReport) {
    super(`audit log verification FAILED at seq ${report.failures[0]?.seq}: ${report.failures[0]?.message}`);
  }
}
