import type { CpuShares } from './cpu.js';
import type { PullFigures, PushFigures } from './load.js';
import type { TripFigures } from './trip.js';

export type PullRun = PullFigures & { perConnection: number; serverCpuMsPerRequest: number; cpu: CpuShares | null };

export interface BenchResults {
  at: Date;
  environment: { node: string; cpus: string; postgres: string; poolSize: number; revision: string; loadAverageAtStart: number; loadAverageAtEnd: number };
  pull: {
    path: string;
    connections: number;
    seconds: number;
    warmupSeconds: number;
    responseBytes: number;
    /** One page on a fresh connection: before ANALYZE (null when autovacuum had analysed already) and after. */
    singlePageMs: { beforeAnalyze: number | null; afterAnalyze: number };
    /** The bare server, before the gateway runs and after them (the machine's capacity drifts). */
    baseline: PullRun;
    baselineAgain: PullRun;
    /** Everything on: audit, quotas and detection, page cache. */
    gateway: PullRun;
    /** Everything on again, after the run without security. */
    gatewayRepeat: PullRun;
    unaudited: PullRun;
    unsecured: PullRun;
    /** Quotas and detection off again, after the second run with everything on. */
    unsecuredAgain: PullRun;
    uncached: PullRun;
  };
  push: PushFigures & { serverCpuMsPerItem: number; cpu: CpuShares | null; path: string; batches: number; itemsPerBatch: number; clients: number };
  durability: { expectedRows: number; rows: number; expectedAuditEntries: number; auditEntries: number };
  trip: TripFigures & { redis: boolean };
  /** Unhandled rejections inside the gateway process (each one would have ended it in production). */
  gatewayFaults: string[];
}

export const TARGETS = {
  pullVsBaseline: 0.5,
  pullP99Ms: 100,
  auditedVsUnaudited: 0.5,
  securedVsUnsecured: 0.9,
  tripToRefusalMs: 1000,
  pushItemsPerSecond: 5000,
};

/** Bare runs further apart than this mark a run whose pull figures are weak evidence. */
const BASELINE_DRIFT_LIMIT = 1.5;

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '—');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : '—');
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

/** The run as Markdown, plus what went wrong (errors) and which targets were missed. */
export function renderReport(r: BenchResults): { markdown: string; errors: string[]; missedTargets: string[] } {
  const { baseline, baselineAgain, gateway, gatewayRepeat, unaudited, unsecured, unsecuredAgain, uncached } = r.pull;
  const errors: string[] = [];
  const runs = [['baseline', baseline], ['baseline (again)', baselineAgain], ['gateway', gateway], ['gateway (audit off)', unaudited], ['gateway (security off)', unsecured], ['gateway (again)', gatewayRepeat], ['gateway (security off, again)', unsecuredAgain], ['gateway (page cache off)', uncached]] as const;
  for (const [name, f] of runs) {
    if (f.non2xx || f.errors || f.timeouts) errors.push(`pull ${name}: ${f.non2xx} non-2xx (${JSON.stringify(f.statusCodes)}), ${f.errors} errors, ${f.timeouts} timeouts`);
    if (f.requests === 0) errors.push(`pull ${name}: no request completed`);
  }
  for (const fault of r.gatewayFaults) errors.push(`unhandled rejection in the gateway process (fatal outside the benchmark): ${fault}`);
  const sent = r.push.batches * r.push.itemsPerBatch;
  if (r.push.failures.length) errors.push(`push: ${r.push.failures.length} failed batches, e.g. ${r.push.failures[0]}`);
  if (r.push.batchesSent < r.push.batches) errors.push(`push: only ${r.push.batchesSent} of ${r.push.batches} batches were sent before the deadline`);
  if (r.push.itemsCreated !== sent) errors.push(`push: ${r.push.itemsCreated} items created of ${sent} sent (${r.push.itemsRejected} rejected)`);
  const durable = r.durability.rows === sent && r.durability.rows === r.durability.expectedRows;
  if (!durable) errors.push(`durability: ${r.durability.rows} rows in task_results, ${sent} pushed, ${r.durability.expectedRows} acknowledged as created`);
  const audited1to1 = r.durability.auditEntries === r.durability.expectedAuditEntries && r.durability.auditEntries === r.push.batches;
  if (!audited1to1) errors.push(`audit: ${r.durability.auditEntries} audit entries for ${r.durability.expectedAuditEntries} acknowledged batch requests`);

  if (r.trip.tripped < r.trip.trials) errors.push(`trip to refusal: ${r.trip.trials - r.trip.tripped} of ${r.trip.trials} connections were not refused by the second instance within 5 s`);

  // Both gateway runs with everything on against both baseline runs, which bracket them in time.
  const baselineRps = (baseline.rps + baselineAgain.rps) / 2;
  const baselineCpuMs = (baseline.serverCpuMsPerRequest + baselineAgain.serverCpuMsPerRequest) / 2;
  const vsBaseline = (gateway.rps + gatewayRepeat.rps) / 2 / baselineRps;
  const gatewayP99 = Math.max(gateway.p99, gatewayRepeat.p99);
  const baselineP99 = Math.max(baseline.p99, baselineAgain.p99);
  // The two bare runs bracket the gateway runs in time: far apart, the machine changed state.
  const baselineDrift = Math.max(baseline.rps, baselineAgain.rps) / Math.max(1, Math.min(baseline.rps, baselineAgain.rps));
  const auditRatio = gateway.rps / unaudited.rps;
  // On, off, on, off: the mean of the two runs with everything on against the mean of the two
  // without security, so that neither side gets the luckier slot on a machine that drifts.
  const securityRatio = (gateway.rps + gatewayRepeat.rps) / (unsecured.rps + unsecuredAgain.rps);
  const securityCpuRatio = (gateway.serverCpuMsPerRequest + gatewayRepeat.serverCpuMsPerRequest) / (unsecured.serverCpuMsPerRequest + unsecuredAgain.serverCpuMsPerRequest);
  const slowestTrip = r.trip.delaysMs.at(-1) ?? Number.NaN;
  const checks: Array<[string, string, string, boolean]> = [
    ['Pull: gateway / bare https, req/s (mean of 2 runs each)', pct(vsBaseline), `≥ ${pct(TARGETS.pullVsBaseline)}`, vsBaseline >= TARGETS.pullVsBaseline],
    [
      'Pull: gateway p99 latency (the higher of 2 runs)',
      `${ms(gatewayP99)} ms (bare https: ${ms(baselineP99)} ms)`,
      `< ${TARGETS.pullP99Ms} ms`,
      gatewayP99 < TARGETS.pullP99Ms,
    ],
    ['Pull: audit on / audit off, req/s', pct(auditRatio), `> ${pct(TARGETS.auditedVsUnaudited)} (audit must not halve it)`, auditRatio > TARGETS.auditedVsUnaudited],
    ['Pull: quotas and detection on (mean of 2 runs) / off, req/s', pct(securityRatio), `≥ ${pct(TARGETS.securedVsUnsecured)} (overhead under 10%)`, securityRatio >= TARGETS.securedVsUnsecured],
    [
      'Cut-off on one instance → refusal on another, slowest of the trials',
      `${ms(slowestTrip)} ms`,
      `< ${n0(TARGETS.tripToRefusalMs)} ms`,
      r.trip.tripped === r.trip.trials && slowestTrip < TARGETS.tripToRefusalMs,
    ],
    ['Push: items/s sustained', n0(r.push.itemsPerSecond), `≥ ${n0(TARGETS.pushItemsPerSecond)}`, r.push.itemsPerSecond >= TARGETS.pushItemsPerSecond],
  ];
  const missedTargets = checks.filter(([, , , ok]) => !ok).map(([name, value, target]) => `${name}: ${value} (target ${target})`);

  const pullRow = (name: string, f: PullRun) =>
    `| ${name} | ${n0(f.rps)} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ${n0(f.requests)} (${f.seconds.toFixed(1)} s) | ${pct(f.rps / baselineRps)} | ` +
    `${n0(f.serverCpuMsPerRequest * 1000)} | ${(f.serverCpuMsPerRequest / baselineCpuMs).toFixed(1)}× |`;
  const share = (v: number) => `${v.toFixed(0)}%`;
  const cpuRow = (name: string, c: CpuShares | null) =>
    c ? `| ${name} | ${share(c.server)} | ${share(c.loadGenerator)} | ${share(c.postgres)} | ${share(c.other)} | ${c.cores * 100}% |` : `| ${name} | — | — | — | — | — |`;

  const lines = [
    `# Data-plane benchmark — ${r.at.toISOString()}`,
    '',
    `Gateway at ${r.environment.revision}. Node ${r.environment.node}, ${r.environment.cpus}, PostgreSQL ${r.environment.postgres} on the same machine, ` +
      `database pool ${r.environment.poolSize}. Server and load generator are separate processes; everything on 127.0.0.1, mTLS throughout. ` +
      'Quotas and the query-spike detector are on, at limits no run reaches (they count every call but never refuse). ' +
      `Load average ${r.environment.loadAverageAtStart.toFixed(2)} at the start, ${r.environment.loadAverageAtEnd.toFixed(2)} at the end.`,
    '',
    '## Targets',
    '',
    '| Check | Measured | Target | |',
    '|---|---:|---|---|',
    ...checks.map(([name, value, target, ok]) => `| ${name} | ${value} | ${target} | ${verdict(ok)} |`),
    `| Push: rows in \`task_results\` after the run | ${n0(r.durability.rows)} / ${n0(sent)} | every item durable | ${durable ? '✅ met' : '❌ missed'} |`,
    `| Push: \`audit_entries\` rows, POST ${r.push.path}, status 200 | ${n0(r.durability.auditEntries)} / ${n0(r.push.batches)} batches | one per batch request | ${audited1to1 ? '✅ met' : '❌ missed'} |`,
    ...(baselineDrift > BASELINE_DRIFT_LIMIT
      ? [
          '',
          `⚠ The two bare runs differ by ${baselineDrift.toFixed(1)}× (${n0(baseline.rps)} and ${n0(baselineAgain.rps)} req/s): what the machine left ` +
            'the benchmark changed during the run, so its pull ratios and p99 are weak evidence either way. Run it again.',
        ]
      : []),
    '',
    `## Pull — \`GET ${r.pull.path}\``,
    '',
    `${r.pull.connections} keep-alive connections (autocannon). Each run is a fixed number of requests per connection, sized from a short ` +
      `probe and a warm-up of about ${r.pull.warmupSeconds} s to last about ${r.pull.seconds} s, so that it ends after the last answers and ` +
      'abandons no request in flight; ' +
      `${n0(r.pull.responseBytes)}-byte response. The baseline is a bare Node \`https.createServer\` with the gateway's TLS settings ` +
      '(same key, certificate and CA, client certificate required, TLS ≥ 1.2) answering the same bytes.',
    '',
    '| Server | req/s | p50 ms | p99 ms | max ms | requests (s) | req/s vs baseline (mean of its 2 runs) | server CPU µs / request | CPU / request vs baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    pullRow('Bare Node https (baseline), before the gateway runs', baseline),
    pullRow('Gateway (audit, quotas and detection, page cache)', gateway),
    pullRow('Gateway, audit off (bench-only override)', unaudited),
    pullRow('Gateway, quotas and detection off (bench-only overrides)', unsecured),
    pullRow('Gateway, page cache off (bench-only override)', uncached),
    pullRow('Gateway, everything on again (after the run without security)', gatewayRepeat),
    pullRow('Gateway, quotas and detection off again', unsecuredAgain),
    pullRow('Bare Node https (baseline), again after them', baselineAgain),
    '',
    `Audit on / off: **${pct(auditRatio)}** of the req/s (p99 ${ms(gateway.p99)} vs ${ms(unaudited.p99)} ms). ` +
      `Quotas and detection on / off: **${pct(securityRatio)}** of the req/s (the mean of the two runs with everything on, ` +
      `${n0(gateway.rps)} and ${n0(gatewayRepeat.rps)} req/s, against the mean of the two without, ${n0(unsecured.rps)} and ${n0(unsecuredAgain.rps)}), ` +
      `gateway CPU per request ${securityCpuRatio.toFixed(2)}×; ` +
      `quotas ${r.trip.redis ? 'and detector windows are counted in Redis, as with several instances' : 'are counted in memory (BENCH_REDIS_URL empty)'}. ` +
      `Page cache on / off: **${pct(gateway.rps / uncached.rps)}**.`,
    '',
    'Every run requests the same page (the head of the feed) over and over, which is what polling consumers do and the best case of the ' +
      'page cache: each request still authenticates, checks its scope, counts against its quota, is screened, is written to the audit log, ' +
      'and checks the feed watermark in PostgreSQL before a cached page is reused. The "page cache off" row is what a page costs when it ' +
      'has to be built (a consumer paging through history).',
    '',
    `The pulls run after \`ANALYZE task_results\`. One page requested alone (new TLS connection included): ` +
      (r.pull.singlePageMs.beforeAnalyze === null
        ? `${ms(r.pull.singlePageMs.afterAnalyze)} ms (autovacuum had already analysed the table).`
        : `${ms(r.pull.singlePageMs.beforeAnalyze)} ms right after the bulk load, before planner statistics exist; ${ms(r.pull.singlePageMs.afterAnalyze)} ms after ANALYZE.`),
    '',
    'The bare server is measured before the gateway runs and again after them, and the gateway / bare ratio compares the two gateway runs ' +
      'with everything on with those two: on a shared machine the capacity left to the benchmark drifts within minutes (the same client ' +
      'work has been seen to cost three times as much CPU in one phase as in another), and both sides of the ratio should meet the same drift.',
    '',
    ...(baseline.cpu && Math.max(baseline.cpu.loadGenerator, baselineAgain.cpu?.loadGenerator ?? 0) >= 90
      ? [
          `The load generator used up to ${Math.max(baseline.cpu.loadGenerator, baselineAgain.cpu?.loadGenerator ?? 0).toFixed(0)}% of a core against the bare server: the baseline is bounded by the client, ` +
            'not the server, so its true capacity is higher and the ratios above flatter the gateway.',
          '',
        ]
      : []),
    '"Server CPU" is the CPU time of the server process (the gateway, or the bare server) during the measured run, divided by the requests: ' +
      'it depends less than req/s on what else the machine was doing, though on a virtual machine whose host is busy it rises too.',
    '',
    `## Push — \`POST ${r.push.path}\``,
    '',
    `${r.push.batches} batches of ${r.push.itemsPerBatch} new items (${n0(r.push.requestBytes)} bytes each), ${r.push.clients} concurrent clients, ` +
      'audit on. These batches are also the seed of the pull measurement.',
    '',
    '| Batches ok | Items created | Wall time s | items/s | vs target | batch p50 ms | batch p99 ms | batch max ms | gateway CPU µs / item |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.push.batchesOk} / ${r.push.batches} | ${n0(r.push.itemsCreated)} | ${r.push.seconds.toFixed(1)} | ${n0(r.push.itemsPerSecond)} | ` +
      `${pct(r.push.itemsPerSecond / TARGETS.pushItemsPerSecond)} | ${ms(r.push.p50)} | ${ms(r.push.p99)} | ${ms(r.push.max)} | ${n0(r.push.serverCpuMsPerItem * 1000)} |`,
    '',
    `Mean batch latency, first tenth of the batches: ${ms(r.push.firstTenthMs)} ms; last tenth: ${ms(r.push.lastTenthMs)} ms ` +
      `(the table grows from 0 to ${n0(r.push.itemsCreated)} rows meanwhile).`,
    '',
  ];
  lines.push(
    '## Cut-off on one instance, refusal on another',
    '',
    `${r.trip.trials} connections, one at a time. Each calls a second gateway instance (its own process, same database and ` +
      `${r.trip.redis ? 'Redis' : 'no Redis'}) back to back while three attack probes go to the first instance; the third trips the detector. ` +
      'Measured from sending the tripping probe to the first instance (which refuses it already) to the second instance\'s first 403 ' +
      '`CONNECTION_SUSPENDED`: an upper bound, since it includes the first instance\'s handling of the probe.',
    '',
    '| Trials refused | fastest ms | median ms | slowest ms | calls the second instance still answered after the trip (most) |',
    '|---:|---:|---:|---:|---:|',
    `| ${r.trip.tripped} / ${r.trip.trials} | ${ms(r.trip.delaysMs[0] ?? Number.NaN)} | ${ms(r.trip.delaysMs[Math.floor(r.trip.delaysMs.length / 2)] ?? Number.NaN)} | ` +
      `${ms(slowestTrip)} | ${r.trip.maxCallsAnsweredAfterTrip} |`,
    '',
    '## Where the CPU went',
    '',
    'Average use during each measured phase, in percent of one core (from /proc). "Other" is everything else on the machine, ' +
      'e.g. a build or test run of someone else: when it is large, the req/s above are understated.',
    '',
    '| Phase | server process | load generator | PostgreSQL | other | machine |',
    '|---|---:|---:|---:|---:|---:|',
    cpuRow('Push', r.push.cpu),
    cpuRow('Pull, bare https', baseline.cpu),
    cpuRow('Pull, gateway', gateway.cpu),
    cpuRow('Pull, gateway, audit off', unaudited.cpu),
    cpuRow('Pull, gateway, quotas and detection off', unsecured.cpu),
    cpuRow('Pull, gateway, page cache off', uncached.cpu),
    cpuRow('Pull, gateway, everything on again', gatewayRepeat.cpu),
    cpuRow('Pull, gateway, quotas and detection off again', unsecuredAgain.cpu),
    cpuRow('Pull, bare https, again', baselineAgain.cpu),
    '',
  );
  if (errors.length) lines.push('## Errors', '', ...errors.map((e) => `- ${e}`), '');
  return { markdown: lines.join('\n'), errors, missedTargets };
}
