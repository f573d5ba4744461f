import type { UnitKind } from './unit-kinds.js';
import { editDistance, looseKey, tonePlacementVariants, unitKey, withoutPrefix } from './unit-names.js';

/** One unit as the in-memory register holds it. */
export interface RegisteredUnit {
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  successorCode: string | null;
  formerNames: string[];
}

export type Resolution =
  | { unit: RegisteredUnit; named: RegisteredUnit }
  | { unit: null; reason: 'unknown' | 'ambiguous'; candidates: RegisteredUnit[] };

/** `*` in a read scope: every unit, for bodies entitled to the whole data set. Never a write unit. */
export const ALL_UNITS = '*';

/** What a scope lets a connection touch, as sets of codes; `null` reads: every unit. */
export interface EffectiveScope {
  write: ReadonlySet<string>;
  read: ReadonlySet<string> | null;
  writeCodes: string[];
  readCodes: string[] | null;
}

/**
 * The unit register held in memory, so that the data plane resolves names and checks scopes
 * without a query. Every spelling of a unit's name, short name and former names is indexed under
 * its key (unit-names.ts), and once more without a body prefix ("Tỉnh ủy", "UBND tỉnh"…).
 */
export class UnitRegister {
  private readonly byCode = new Map<string, RegisteredUnit>();
  private readonly exact = new Map<string, Set<string>>();
  private readonly bare = new Map<string, Set<string>>();
  private readonly predecessors = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly loose: Array<{ key: string; code: string }> = [];
  private readonly scopes = new Map<string, EffectiveScope>();
  /** Resolutions by the text as given: a batch names the same few units over and over. */
  private readonly resolved = new Map<string, Resolution>();

  constructor(units: RegisteredUnit[]) {
    for (const unit of units) this.byCode.set(unit.code, unit);
    for (const unit of units) {
      for (const name of namesOf(unit)) {
        const key = unitKey(name);
        add(this.exact, key, unit.code);
        add(this.bare, withoutPrefix(key) ?? key, unit.code);
        this.loose.push({ key: looseKey(name), code: unit.code });
      }
      if (unit.successorCode) push(this.predecessors, unit.successorCode, unit.code);
      if (unit.parentCode) push(this.children, unit.parentCode, unit.code);
    }
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): RegisteredUnit | undefined {
    return this.byCode.get(code);
  }

  all(): RegisteredUnit[] {
    return [...this.byCode.values()];
  }

  /** The unit answerable now: the end of the successor chain. */
  current(unit: RegisteredUnit): RegisteredUnit {
    const seen = new Set<string>();
    let at = unit;
    while (at.successorCode && !seen.has(at.code)) {
      seen.add(at.code);
      const next = this.byCode.get(at.successorCode);
      if (!next) break;
      at = next;
    }
    return at;
  }

  /**
   * A name (any spelling, former names included, with or without a body prefix) or a code, to the
   * unit answerable for it now. Several matches that all lead to one unit now (a province and the
   * merged province that kept its name) are that unit; otherwise the name is ambiguous.
   */
  resolve(nameOrCode: string): Resolution {
    // What a client sent, before validation has typed it (the authority checks read raw items): no unit.
    if (typeof nameOrCode !== 'string') return { unit: null, reason: 'unknown', candidates: [] };
    let resolution = this.resolved.get(nameOrCode);
    if (!resolution) {
      if (this.resolved.size >= 10_000) this.resolved.clear();
      this.resolved.set(nameOrCode, (resolution = this.resolveUncached(nameOrCode)));
    }
    return resolution;
  }

  private resolveUncached(nameOrCode: string): Resolution {
    const trimmed = nameOrCode.normalize('NFC').trim();
    const byCode = this.byCode.get(trimmed);
    if (byCode) return { unit: this.current(byCode), named: byCode };
    const key = unitKey(trimmed);
    for (const codes of [this.exact.get(key), this.bare.get(key), this.bare.get(withoutPrefix(key) ?? '')]) {
      if (!codes?.size) continue;
      const named = [...codes].map((c) => this.byCode.get(c)!);
      const answerable = new Set(named.map((u) => this.current(u).code));
      if (answerable.size === 1) {
        const unit = this.byCode.get([...answerable][0])!;
        return { unit, named: named.find((u) => u.code === unit.code) ?? named[0] };
      }
      return { unit: null, reason: 'ambiguous', candidates: [...answerable].map((c) => this.byCode.get(c)!) };
    }
    return { unit: null, reason: 'unknown', candidates: this.closest(trimmed) };
  }

  /** The register entries whose names are nearest to `text`, units in force first. */
  closest(text: string, count = 3): RegisteredUnit[] {
    const probe = looseKey(text);
    const bareProbe = withoutPrefix(probe) ?? probe;
    const best = new Map<string, number>();
    for (const { key, code } of this.loose) {
      const candidate = withoutPrefix(key) ?? key;
      const distance = Math.min(editDistance(probe, key), editDistance(bareProbe, candidate)) - (candidate.includes(bareProbe) || bareProbe.includes(candidate) ? 2 : 0);
      const now = this.current(this.byCode.get(code)!).code;
      if (!best.has(now) || distance < best.get(now)!) best.set(now, distance);
    }
    return [...best].sort((a, b) => a[1] - b[1]).slice(0, count).map(([code]) => this.byCode.get(code)!);
  }

  /** The unit and every unit merged into it, transitively: whose records it answers for. */
  family(code: string): string[] {
    const out: string[] = [];
    const visit = (c: string) => {
      if (out.includes(c)) return;
      out.push(c);
      for (const p of this.predecessors.get(c) ?? []) visit(p);
    };
    visit(code);
    return out;
  }

  /** The unit's family and those of every unit under it (a read scope on a parent). */
  familyWithDescendants(code: string): string[] {
    const out = new Set<string>();
    const visit = (c: string) => {
      for (const member of this.family(c)) {
        if (out.has(member)) continue;
        out.add(member);
        for (const child of this.children.get(member) ?? []) visit(child);
      }
    };
    visit(code);
    return [...out];
  }

  /**
   * What an agreement's units reach now. A scope entry is a code (or, in agreements recorded
   * before the register, a name); a unit merged into another passes the scope on to its successor,
   * and a scope reaches the records of every unit merged into the units it names. A read scope on
   * a parent reaches the units under it. Entries the register cannot resolve reach nothing.
   */
  effectiveScope(writeUnits: readonly string[], readUnits: readonly string[]): EffectiveScope {
    const cacheKey = `${writeUnits.join('\u0000')}\u0001${readUnits.join('\u0000')}`;
    let scope = this.scopes.get(cacheKey);
    if (!scope) {
      const reach = (entries: readonly string[], expand: (code: string) => string[]) =>
        new Set(entries.flatMap((entry) => {
          const resolved = this.resolve(entry);
          return resolved.unit ? expand(resolved.unit.code) : [];
        }));
      const write = reach(writeUnits.filter((u) => u !== ALL_UNITS), (c) => this.family(c));
      const read = readUnits.includes(ALL_UNITS) ? null : reach(readUnits, (c) => this.familyWithDescendants(c));
      scope = { write, read, writeCodes: [...write], readCodes: read && [...read] };
      if (this.scopes.size > 10_000) this.scopes.clear();
      this.scopes.set(cacheKey, scope);
    }
    return scope;
  }
}

/** Every name a unit is known by, with each one's other tone placement. */
export function namesOf(unit: Pick<RegisteredUnit, 'name' | 'shortName' | 'formerNames'>): string[] {
  const names = [unit.name, unit.shortName, ...unit.formerNames];
  return [...new Set([...names, ...names.flatMap(tonePlacementVariants)])];
}

function add(index: Map<string, Set<string>>, key: string, code: string) {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(code);
}

function push(index: Map<string, string[]>, key: string, code: string) {
  const list = index.get(key);
  if (list) list.push(code);
  else index.set(key, [code]);
}
