import type { FieldProblem } from '../shared/errors/api-error.js';
import { unresolvedProblem } from './record-units.js';
import { ALL_UNITS, type UnitRegister } from './unit-register.js';

export interface ScopeUnits {
  writeUnits: string[];
  readUnits: string[];
}

/**
 * An agreement's units as the register's codes. Names (any spelling) and codes are accepted;
 * each is stored as the code of the unit answerable now (a former province's as its successor's).
 * `*` means every unit in `readUnits` and is refused in `writeUnits`: nobody writes for every unit.
 */
export function resolveScopeUnits(register: UnitRegister, scope: ScopeUnits): ScopeUnits & { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const resolve = (field: 'writeUnits' | 'readUnits') =>
    [...new Set(scope[field].flatMap((entry, n) => {
      const given = entry.normalize('NFC').trim();
      if (given === ALL_UNITS) {
        if (field === 'readUnits') return [ALL_UNITS];
        problems.push({ field: `${field}.${n}`, problem: `"*" is not a unit: a write scope names each unit it may write for ("*", every unit, is accepted in readUnits only)` });
        return [];
      }
      const resolution = register.resolve(given);
      if (resolution.unit) return [resolution.unit.code];
      problems.push({ field: `${field}.${n}`, problem: unresolvedProblem(given, resolution, 'the unit code') });
      return [];
    }))];
  const writeUnits = resolve('writeUnits');
  const readUnits = resolve('readUnits');
  return { writeUnits, readUnits: readUnits.includes(ALL_UNITS) ? [ALL_UNITS] : readUnits, problems };
}
