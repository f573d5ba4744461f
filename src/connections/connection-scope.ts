import { ALL_UNITS, type UnitRegister } from '../units/unit-register.js';

export { ALL_UNITS };

export const DATA_SETS = ['task-results', 'kpi-results'] as const;
export type DataSet = (typeof DATA_SETS)[number];

export const DIRECTIONS = ['push', 'pull'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Authority over a data set (PRODUCT.md §3a): the Standing Agency's system ASSIGNS (creates,
 * owns the assignment fields, reviews, revokes), an executing unit's system REPORTS (confirms,
 * disputes, writes the result fields), a READER only pulls. See data-exchange/authority/.
 */
export const DATA_SET_ROLES = ['ASSIGNER', 'REPORTER', 'READER'] as const;
export type DataSetRole = (typeof DATA_SET_ROLES)[number];

/**
 * What the signed connection agreement lets a connection do. The data plane enforces exactly this:
 * `writeUnits` and `readUnits` are unit codes of the register (unit-register.ts), matched against
 * a task's `leadUnitCode` / a KPI's `reportingAgencyCode`, on push and on pull. A unit merged into
 * another passes its scope to its successor; a read scope on a parent covers the units under it;
 * `*` (ALL_UNITS) in `readUnits` reads every unit and is refused in `writeUnits`.
 */
export interface ConnectionScope {
  dataSets: DataSet[];
  directions: Direction[];
  /**
   * Directions agreed per data set, where they differ (e.g. push task results, pull KPI results).
   * A data set listed here uses its own list instead of `directions`.
   */
  directionsByDataSet?: Partial<Record<DataSet, Direction[]>>;
  /** Unit codes (agreements recorded before the register may still hold names: resolved at use). */
  writeUnits: string[];
  /** Unit codes, or `*` for every unit. */
  readUnits: string[];
  /**
   * The role per data set. Absent (agreements recorded before roles existed) or absent for a
   * data set: the connection keeps the authority it had — ASSIGNER and REPORTER at once where it
   * pushes, READER where it only pulls (authority/roles.ts, `authorityOf`).
   */
  roles?: Partial<Record<DataSet, DataSetRole>>;
  /** Agreed frequency as quotas; absent limits fall back to the gateway's defaults. */
  quotas?: ConnectionQuotas;
  /** Source addresses (IPs or CIDR blocks) the agreement allows; absent or empty: any. */
  allowedSourceAddresses?: string[];
  /**
   * Reader clearance: the highest classification whose records the connection may learn exist
   * (status only, III.1.d). Absent: NONE — classified records are invisible to it, whatever its units.
   */
  classifiedClearance?: ClassifiedClearance;
}

/** Clearances an agreement can grant, lowest first; no deployment handles TOP_SECRET (Tuyệt mật). */
export const CLASSIFIED_CLEARANCES = ['NONE', 'CONFIDENTIAL', 'SECRET'] as const;
export type ClassifiedClearance = (typeof CLASSIFIED_CLEARANCES)[number];

/** The classifications a connection's pulls and reads may show, or null for all the gateway stores. */
export function visibleClassifications(scope: ConnectionScope): string[] | null {
  const clearance = scope.classifiedClearance ?? 'NONE';
  if (clearance === 'SECRET') return null;
  return clearance === 'CONFIDENTIAL' ? ['UNCLASSIFIED', 'CONFIDENTIAL'] : ['UNCLASSIFIED'];
}

export interface ConnectionQuotas {
  readsPerMinute?: number;
  writesPerMinute?: number;
  readsPerDay?: number;
  writesPerDay?: number;
}

/** The gateway's default quotas (QUOTA_* settings), for limits an agreement leaves out. */
export interface QuotaDefaults {
  QUOTA_READS_PER_MINUTE: number;
  QUOTA_WRITES_PER_MINUTE: number;
  QUOTA_READS_PER_DAY: number;
  QUOTA_WRITES_PER_DAY: number;
}

/** The quotas the gateway applies: each agreed limit, else its default (quota.service.ts counts these). */
export function appliedQuotas(agreed: ConnectionQuotas | undefined, defaults: QuotaDefaults): Required<ConnectionQuotas> {
  const q = agreed ?? {};
  return {
    readsPerMinute: q.readsPerMinute ?? defaults.QUOTA_READS_PER_MINUTE,
    writesPerMinute: q.writesPerMinute ?? defaults.QUOTA_WRITES_PER_MINUTE,
    readsPerDay: q.readsPerDay ?? defaults.QUOTA_READS_PER_DAY,
    writesPerDay: q.writesPerDay ?? defaults.QUOTA_WRITES_PER_DAY,
  };
}

/** Scope entries are trimmed and in Unicode NFC (Vietnamese diacritics). */
export function normaliseUnit(unit: string): string {
  return unit.normalize('NFC').trim();
}

export function mayUse(scope: ConnectionScope, dataSet: DataSet, direction: Direction): boolean {
  const directions = scope.directionsByDataSet?.[dataSet] ?? scope.directions;
  return scope.dataSets.includes(dataSet) && directions.includes(direction);
}

export function mayWriteUnit(register: UnitRegister, scope: ConnectionScope, unitCode: string): boolean {
  return register.effectiveScope(scope.writeUnits, scope.readUnits).write.has(unitCode);
}

export function mayReadUnit(register: UnitRegister, scope: ConnectionScope, unitCode: string): boolean {
  const read = register.effectiveScope(scope.writeUnits, scope.readUnits).read;
  return read === null || read.has(unitCode);
}

/** The readable unit codes for a SQL filter, or null when every unit is readable. */
export function readableUnits(register: UnitRegister, scope: ConnectionScope): string[] | null {
  return register.effectiveScope(scope.writeUnits, scope.readUnits).readCodes;
}

/** The writable unit codes for a SQL filter. */
export function writableUnits(register: UnitRegister, scope: ConnectionScope): string[] {
  return register.effectiveScope(scope.writeUnits, scope.readUnits).writeCodes;
}

export function scopeToOAuthScope(scope: ConnectionScope): string {
  return scope.dataSets
    .flatMap((set) => DIRECTIONS.filter((d) => mayUse(scope, set, d)).map((d) => `${set}:${d === 'push' ? 'write' : 'read'}`))
    .join(' ');
}
