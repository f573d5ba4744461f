import { getMetadataStorage } from 'class-validator';
import { KPI_RESULT_FREE_TEXT, KpiResultInputDto } from '../kpi-results/dto/kpi-result-input.dto.js';
import { TASK_RESULT_FREE_TEXT, TaskResultInputDto } from '../task-results/dto/task-result-input.dto.js';

/** Constraints that bound a value to a format without quotes, brackets or semicolons. */
const FORMAT_CONSTRAINTS = new Set(['matches', 'isIn', 'isUuid', 'isInt', 'min', 'max', 'isIso8601']);
/** Strict although only `@IsString()` in the class: checked by the data set's own rules. */
const CHECKED_BY_RULES = new Set(['period']); // kpi-period.ts, KpiResultsService.rules

function constraintsByProperty(type: Function): Map<string, Set<string>> {
  const byProperty = new Map<string, Set<string>>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)) {
    const names = byProperty.get(m.propertyName) ?? new Set<string>();
    if (m.name) names.add(m.name);
    byProperty.set(m.propertyName, names);
  }
  return byProperty;
}

/**
 * Attack screening leaves the declared free-text fields alone and treats SQL or script
 * metacharacters in every other field as a probe. Both are right only if the declarations say
 * what the classes do: free text has no format, every other field has one that admits no
 * metacharacter.
 */
describe.each([
  ['task results', TaskResultInputDto, TASK_RESULT_FREE_TEXT],
  ['KPI results', KpiResultInputDto, KPI_RESULT_FREE_TEXT],
] as const)('free-text declaration of %s', (_, type, freeText) => {
  const properties = constraintsByProperty(type);

  it('names only fields of the class, and none with a format', () => {
    for (const field of freeText) {
      expect([field, properties.has(field)]).toEqual([field, true]);
      expect([field, [...properties.get(field)!].filter((c) => FORMAT_CONSTRAINTS.has(c))]).toEqual([field, []]);
    }
  });

  it('leaves out no field that is free text', () => {
    const undeclared = [...properties.entries()]
      .filter(([field]) => !(freeText as readonly string[]).includes(field) && !CHECKED_BY_RULES.has(field))
      .filter(([, constraints]) => ![...constraints].some((c) => FORMAT_CONSTRAINTS.has(c)))
      .map(([field]) => field);
    expect(undeclared).toEqual([]);
  });
});
