import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

type Condition = (object: object, value: unknown) => unknown;
interface Rule {
  property: string;
  constraints: unknown[];
  each: boolean;
  validateIf?: Condition;
  validators: ValidatorConstraintInterface[];
}
interface PropertyRules {
  property: string;
  conditions: Condition[];
  /** IsDefined first, then the other rules in declaration order, as class-validator runs them. */
  rules: Rule[];
}

/** Metadata types whose effect on `validateSync(instance, STRICT_VALIDATION)` this check reproduces. */
const UNDERSTOOD = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

export interface ValidityCheck {
  /** Properties class-validator knows for the class: any other own key is "should not exist". */
  properties: ReadonlySet<string>;
  /** True only when `validateSync(instance, STRICT_VALIDATION)` would return no error. */
  isValid(instance: object): boolean;
}

/**
 * Decides, from class-validator's own metadata and constraint instances, whether
 * `validateSync(instance, { whitelist, forbidNonWhitelisted, forbidUnknownValues })` finds nothing.
 * Written by hand because no library does this: class-validator re-reads its metadata on every
 * call (for inherited rules it scans every registered class) and builds an error object per
 * property, which was most of a valid item's cost. The rules themselves are not rewritten:
 * the same validator functions are called with the same arguments. Only "no error" is decided
 * here; the caller asks class-validator itself for the messages of anything else.
 * Null when the class uses something not reproduced here (nested or promise validation).
 */
export function compileValidityCheck(type: Function): ValidityCheck | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(type, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0 || metadatas.some((m) => !UNDERSTOOD.has(m.type))) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyRules[] = Object.keys(grouped).map((property) => {
    const group = grouped[property];
    const toRule = (m: (typeof group)[number]): Rule => ({
      property: m.propertyName,
      constraints: m.constraints,
      each: Boolean(m.each),
      validateIf: (m as { validateIf?: Condition }).validateIf,
      // Async constraints are skipped by validateSync.
      validators: storage
        .getTargetValidatorConstraints(m.constraintCls)
        .filter((c) => !c.async)
        .map((c) => c.instance as ValidatorConstraintInterface),
    });
    return {
      property,
      conditions: group.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.constraints[0] as Condition),
      rules: [
        ...group.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(toRule),
        ...group.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(toRule),
      ],
    };
  });
  const known = new Set(Object.keys(grouped).filter((p) => grouped[p].length > 0));
  return { properties: known, isValid: (instance) => isValid(instance, known, properties) };
}

function isValid(instance: object, known: ReadonlySet<string>, properties: PropertyRules[]): boolean {
  for (const key of Object.keys(instance)) if (!known.has(key)) return false;
  const object = instance as Record<string, unknown>;
  const targetName = instance.constructor ? instance.constructor.name : undefined;
  for (const { property, conditions, rules } of properties) {
    const value = object[property];
    let canValidate = true;
    for (const condition of conditions) canValidate = Boolean(condition(instance, value)) && canValidate;
    if (!canValidate) continue;
    for (const rule of rules) {
      if (rule.validateIf && !rule.validateIf(instance, value)) continue;
      const args: ValidationArguments = { targetName: targetName!, property: rule.property, object: instance, value, constraints: rule.constraints };
      const values = rule.each && (Array.isArray(value) || value instanceof Set || value instanceof Map) ? arrayOf(value) : null;
      for (const validator of rule.validators) {
        if (values === null) {
          if (!passes(validator.validate(value, args))) return false;
        } else {
          for (const item of values) if (!passes(validator.validate(item, args))) return false;
        }
      }
    }
  }
  return true;
}

/** A promise from a sync-declared constraint is left to class-validator (it ignores it). */
function passes(result: unknown): boolean {
  return Boolean(result) && !(typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function');
}

function arrayOf(value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] {
  if (value instanceof Map) return Array.from(value.values());
  return Array.isArray(value) ? value : Array.from(value);
}
