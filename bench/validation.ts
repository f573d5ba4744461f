/**
 * Micro-benchmark of a batch item's CPU before it reaches the database: validation
 * (class-transformer + class-validator, versus the fast path) and the canonical content hash
 * (reference versus current). Old and new run alternately in the same process, several rounds;
 * the median of CPU µs per item (process.cpuUsage) is printed, since the machine is shared.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/validation.js [items] [rounds]
 */
import 'reflect-metadata';
import crypto from 'node:crypto';
import { contentHash } from '../src/data-exchange/shared/canonical-hash.js';
import { validateItem, validateItemReference } from '../src/data-exchange/shared/validate-item.js';
import { TaskResultInputDto } from '../src/data-exchange/task-results/dto/task-result-input.dto.js';
import { TASK_RESULT_SCHEMA } from '../src/data-exchange/task-results/task-result.schema.js';
import { benchTaskResult } from './items.js';

/** The content hash as first written (createHash over the canonical JSON): what contentHash replaced. */
function contentHashReference(fields: readonly string[], record: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(JSON.stringify(fields.map((f) => [f, record[f] ?? null]))).digest('hex');
}

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 9);

const valid = Array.from({ length: count }, (_, n) => benchTaskResult(Math.floor(n / 1000), n % 1000, 'Bộ Tài chính'));
// One item in ten with a mistake: those take the fast path's check and then the full path.
const mixed = valid.map((item, n) => (n % 10 === 0 ? { ...item, priority: 9 } : item));
const hashed = [...TASK_RESULT_SCHEMA.fields.map((f) => f.field), 'classification', 'attachments'];
const records = valid.map((item) => {
  const value = validateItemReference(TaskResultInputDto, item).value as unknown as Record<string, unknown>;
  return { ...value, classification: 'UNCLASSIFIED', attachments: [] };
});

/** CPU µs per item of one pass over `n` items. */
function cpuPerItem(n: number, fn: (i: number) => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const cases: { name: string; old: (i: number) => unknown; now: (i: number) => unknown }[] = [
  { name: 'validation, valid items', old: (i) => validateItemReference(TaskResultInputDto, valid[i]), now: (i) => validateItem(TaskResultInputDto, valid[i]) },
  { name: 'validation, 10% invalid', old: (i) => validateItemReference(TaskResultInputDto, mixed[i]), now: (i) => validateItem(TaskResultInputDto, mixed[i]) },
  { name: 'content hash', old: (i) => contentHashReference(hashed, records[i]), now: (i) => contentHash(hashed, records[i]) },
  {
    name: 'validation + hash',
    old: (i) => contentHashReference(hashed, { ...(validateItemReference(TaskResultInputDto, valid[i]).value as object), classification: 'UNCLASSIFIED', attachments: [] }),
    now: (i) => contentHash(hashed, { ...(validateItem(TaskResultInputDto, valid[i]).value as object), classification: 'UNCLASSIFIED', attachments: [] }),
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up: let both paths be optimised before anything is counted.
for (const c of cases) for (const fn of [c.old, c.now]) cpuPerItem(Math.min(count, 5_000), fn);

console.log(`${count} items, ${rounds} rounds, median CPU µs/item\n`);
console.log('| path | old µs/item | new µs/item | old / new |');
console.log('|---|---:|---:|---:|');
for (const c of cases) {
  const old: number[] = [];
  const now: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so that neither side always runs first after a neighbour's burst.
    if (r % 2) old.push(cpuPerItem(count, c.old)), now.push(cpuPerItem(count, c.now));
    else now.push(cpuPerItem(count, c.now)), old.push(cpuPerItem(count, c.old));
  }
  const [o, n] = [median(old), median(now)];
  console.log(`| ${c.name} | ${o.toFixed(1)} | ${n.toFixed(1)} | ${(o / n).toFixed(2)} |`);
}
