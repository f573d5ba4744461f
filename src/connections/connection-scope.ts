export const DATA_SETS = ['task-results', 'kpi-results'] as const;
export type DataSet = (typeof DATA_SETS)[number];

export const DIRECTIONS = ['push', 'pull'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Every unit: only for read scopes of bodies entitled to see the whole data set. */
export const ALL_UNITS = '*';

/**
 * What the signed connection agreement lets a connection do. The data plane enforces exactly this:
 * `writeUnits` are matched against a task's `leadUnit` / a KPI's `reportingAgency` on push,
 * `readUnits` against the same fields on pull.
 */
export interface ConnectionScope {
  dataSets: DataSet[];
  directions: Direction[];
  /**
   * Directions agreed per data set, where they differ (e.g. push task results, pull KPI results).
   * A data set listed here uses its own list instead of `directions`.
   */
  directionsByDataSet?: Partial<Record<DataSet, Direction[]>>;
  writeUnits: string[];
  readUnits: string[];
  /** Agreed frequency as quotas; absent limits fall back to the gateway's defaults. */
  quotas?: ConnectionQuotas;
  /** Source addresses (IPs or CIDR blocks) the agreement allows; absent or empty: any. */
  allowedSourceAddresses?: string[];
}

export interface ConnectionQuotas {
  readsPerMinute?: number;
  writesPerMinute?: number;
  readsPerDay?: number;
  writesPerDay?: number;
}

/** Unit names are compared after Unicode NFC normalisation and trimming (Vietnamese diacritics). */
export function normaliseUnit(unit: string): string {
  return unit.normalize('NFC').trim();
}

export function mayUse(scope: ConnectionScope, dataSet: DataSet, direction: Direction): boolean {
  const directions = scope.directionsByDataSet?.[dataSet] ?? scope.directions;
  return scope.dataSets.includes(dataSet) && directions.includes(direction);
}

export function mayWriteUnit(scope: ConnectionScope, unit: string): boolean {
  return scope.writeUnits.includes(normaliseUnit(unit));
}

export function mayReadUnit(scope: ConnectionScope, unit: string): boolean {
  return scope.readUnits.includes(ALL_UNITS) || scope.readUnits.includes(normaliseUnit(unit));
}

/** The readable units for a SQL filter, or null when every unit is readable. */
export function readableUnits(scope: ConnectionScope): string[] | null {
  return scope.readUnits.includes(ALL_UNITS) ? null : scope.readUnits;
}

export function scopeToOAuthScope(scope: ConnectionScope): string {
  return scope.dataSets
    .flatMap((set) => DIRECTIONS.filter((d) => mayUse(scope, set, d)).map((d) => `${set}:${d === 'push' ? 'write' : 'read'}`))
    .join(' ');
}
