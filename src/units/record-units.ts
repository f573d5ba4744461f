import type { FieldProblem } from '../shared/errors/api-error.js';
import type { RegisteredUnit, Resolution, UnitRegister } from './unit-register.js';

/** A unit field of an exchanged record: the name as the guidance has it, and its register code. */
export interface UnitField {
  nameField: string;
  codeField: string;
  /** A list of units (coordinating units) rather than one. */
  many: boolean;
}

/** Register codes: letters, digits, ".", "_", "-" (e.g. 38, GW-BTC). */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

const label = (u: RegisteredUnit) => `${u.name} (${u.code})`;

/** The problem text of a name the register cannot place, with the nearest entries. */
export function unresolvedProblem(name: string, resolution: Exclude<Resolution, { unit: RegisteredUnit }>, codeField: string): string {
  const listed = resolution.candidates.map(label).join('; ');
  return resolution.reason === 'ambiguous'
    ? `"${name}" names more than one unit of the register: ${listed}; send ${codeField} to say which`
    : `"${name}" is not in the unit register; closest entries: ${listed}`;
}

/**
 * Resolves a record's unit fields in place: each name to the unit answerable for it now, each
 * code checked against the register; the code is stored, the name is kept as sent (or filled in
 * from the register when only the code came). Name and code together must agree; a name the
 * register does not know is then kept as sent, since the code decides.
 */
export function resolveUnitFields(register: UnitRegister, record: Record<string, unknown>, fields: readonly UnitField[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const f of fields) {
    // null is left out, as validation (@IsOptional) lets it through.
    const names = (record[f.nameField] ?? undefined) as string | string[] | undefined;
    const codes = (record[f.codeField] ?? undefined) as string | string[] | undefined;
    if (!f.many) {
      const one = resolveOne(register, names as string | undefined, codes as string | undefined, f.nameField, f.codeField, problems);
      if (one) Object.assign(record, { [f.nameField]: one.name, [f.codeField]: one.code });
      else if (names === undefined && codes === undefined) problems.push({ field: f.nameField, problem: `is required (or ${f.codeField})` });
      continue;
    }
    const nameList = (names as string[] | undefined) ?? [];
    const codeList = (codes as string[] | undefined) ?? [];
    if (names !== undefined && codes !== undefined && nameList.length !== codeList.length) {
      problems.push({ field: f.codeField, problem: `must list as many codes as ${f.nameField} lists names (${nameList.length}), in the same order` });
      continue;
    }
    const resolved = Array.from({ length: Math.max(nameList.length, codeList.length) }, (_, n) =>
      resolveOne(register, nameList[n], codeList[n], `${f.nameField}.${n}`, `${f.codeField}.${n}`, problems));
    if (resolved.every((r) => r)) Object.assign(record, { [f.nameField]: resolved.map((r) => r!.name), [f.codeField]: resolved.map((r) => r!.code) });
  }
  return problems;
}

function resolveOne(register: UnitRegister, name: string | undefined, code: string | undefined, nameField: string, codeField: string, problems: FieldProblem[]) {
  if (code !== undefined) {
    const named = register.get(code);
    if (!named) {
      problems.push({ field: codeField, problem: `"${code}" is not a code of the unit register` });
      return null;
    }
    const unit = register.current(named);
    if (name !== undefined) {
      const byName = register.resolve(name);
      if (byName.unit && byName.unit.code !== unit.code) {
        problems.push({ field: nameField, problem: `names ${label(byName.unit)}, but ${codeField} is ${label(unit)}` });
        return null;
      }
    }
    return { name: name ?? unit.name, code: unit.code };
  }
  if (name === undefined) return null;
  const resolution = register.resolve(name);
  if (!resolution.unit) {
    problems.push({ field: nameField, problem: unresolvedProblem(name, resolution, codeField) });
    return null;
  }
  return { name, code: resolution.unit.code };
}
