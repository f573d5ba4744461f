import type { INestApplicationContext } from '@nestjs/common';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { archivePeriod } from '../audit/archive/audit-archive.js';
import { journalPath, verifyStoredLogAndJournal } from '../audit/checkpoints/audit-checkpoint-journal.js';
import { AuditCheckpointService } from '../audit/checkpoints/audit-checkpoint.service.js';
import { readExport, verifyExport, writeExport } from '../audit/archive/audit-export.js';
import { resolveRange } from '../audit/archive/audit-log-reader.js';
import { periodOf } from '../audit/archive/audit-partitions.js';
import { AuditSigningKey, publicKeyFromPem, signingKeyPath, type TrustedKeys, trustedKeys } from '../audit/checkpoints/audit-signing-key.js';
import type { VerificationReport } from '../audit/chain/audit-verifier.js';
import { AuditService } from '../audit/chain/audit.service.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { type Command, UsageError } from './commands.js';

/** Operator commands over the audit log (tamper evidence, guidance IV.4). */
export const AUDIT_COMMANDS: Record<string, Command> = {
  'audit:verify': {
    summary: 'Recompute the audit hash chain and checkpoints; exit 1 at the first mismatch',
    usage: `[--from ISO] [--to ISO] [--journal FILE] | --file EXPORT.json
      [--public-key PEM]...   (also trust this key; with --file, trust only the keys given)
      --journal: another instance's checkpoint journal (default: this one's, AUDIT_CHECKPOINT_JOURNAL)`,
    async run(app, argv, print) {
      // (`--file` is handled before any database is opened: runAuditCommandOffline.)
      const { values } = parseArgs({ args: argv, options: { ...RANGE_OPTIONS, journal: { type: 'string' }, 'public-key': { type: 'string', multiple: true } } });
      const bounds = rangeOf(values);
      const db = app.get(DataSource);
      const config = app.get(GatewayConfig);
      const keys = gatewayKeys(config, values['public-key']);
      const range = await resolveRange(db, bounds);
      const { report, journal } = await verifyStoredLogAndJournal(db, range, keys, values.journal ?? journalPath(config));
      if (range.archivedThroughSeq) print(`entries up to seq ${range.archivedThroughSeq} are archived (audit:archive): verify them from their export files`);
      print(journal.compared === 0 ? `no checkpoint journal at ${journal.file}: a log cut back at its end would go unnoticed` : `journal ${journal.file}: its newest ${journal.compared} checkpoint(s) compared with the database`);
      if (journal.unreadable > 0) print(`journal ${journal.file}: ${journal.unreadable} line(s) that are no checkpoint passed over (a crash mid-append leaves one)`);
      printReport(report, [...keys.keys()], print);
    },
  },

  'audit:export': {
    summary: 'Write audit entries, their checkpoints and the public key to a file that verifies offline',
    usage: '--out FILE.json [--from ISO] [--to ISO | --period YYYY-MM]   (widened to whole checkpoints)',
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { ...RANGE_OPTIONS, out: { type: 'string' }, period: { type: 'string' } } });
      if (!values.out) throw new UsageError('--out is required');
      const bounds = values.period ? periodBounds(values.period) : rangeOf(values);
      const db = app.get(DataSource);
      const keys = gatewayKeys(app.get(GatewayConfig), undefined);
      const range = await resolveRange(db, bounds);
      const written = await writeExport(db, range, keys, bounds, values.out);
      print(`wrote ${values.out}: entries seq ${range.startSeq}..${range.endSeq ?? '(none)'} (${written.entries}), ${written.checkpoints} checkpoints`);
      print(`verify it with: npm run cli -- audit:verify --file ${values.out}`);
    },
  },

  'audit:archive': {
    summary: 'Detach a month of the audit log older than the retention period, once its export verifies and holds every entry',
    usage: `--period YYYY-MM --export FILE.json   (written before by audit:export --period YYYY-MM)
      [--drop]                (also delete the detached table)  [--public-key PEM]...   (older, rotated keys)`,
    // Detaching a partition is the owner's: the runtime role may not alter the audit log.
    owner: true,
    async run(app, argv, print) {
      const { values } = parseArgs({ args: argv, options: { period: { type: 'string' }, export: { type: 'string' }, drop: { type: 'boolean' }, 'public-key': { type: 'string', multiple: true } } });
      if (!values.period || !values.export) throw new UsageError('--period and --export are required');
      const db = app.get(DataSource);
      const config = app.get(GatewayConfig);
      const audit = new AuditService(db, config);
      const result = await archivePeriod(db, async (r) => {
        await audit.record(r);
        await audit.drain();
      }, { period: values.period, exportFile: values.export, drop: values.drop ?? false, retentionYears: config.AUDIT_RETENTION_YEARS, keys: gatewayKeys(config, values['public-key']) });
      print(`period ${result.period.label}: ${result.entries} entries verified in the database and in ${values.export} (sha256 ${result.exportSha256})`);
      print(`${result.period.partition} detached${result.dropped ? ' and dropped' : ' (kept as a table, append-only; --drop deletes it)'}; the live log now starts after seq ${result.archivedThroughSeq}`);
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

/** A month (UTC), as audit:archive takes it: its first instant to its last millisecond. */
function periodBounds(label: string): { from: Date; to: Date } {
  try {
    const period = periodOf(label);
    return { from: period.start, to: new Date(period.end.getTime() - 1) };
  } catch (error) {
    throw new UsageError(`--period: ${(error as Error).message}`);
  }
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
