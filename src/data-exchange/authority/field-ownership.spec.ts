import fs from 'node:fs';
import path from 'node:path';
import { KPI_RESULT_SCHEMA } from '../kpi-results/kpi-result.schema.js';
import { TASK_RESULT_SCHEMA } from '../task-results/task-result.schema.js';
import { FIELD_OWNERSHIP, unownedChanges } from './field-ownership.js';

const README = path.resolve(import.meta.dirname, '../../../README.md');

describe('the field-ownership table', () => {
  // A KPI result's reporting agency is part of its key but not of its path: the assigner names it.
  it.each([TASK_RESULT_SCHEMA, KPI_RESULT_SCHEMA])('gives every field of $dataSet exactly one owner, the path keys none', (schema) => {
    const { ASSIGNER, REPORTER } = FIELD_OWNERSHIP[schema.dataSet];
    const owned: string[] = [...ASSIGNER, ...REPORTER];
    expect(new Set(owned).size).toBe(owned.length);
    const fields = [...schema.fields.map((f) => f.field), 'classification', 'attachments'].filter((f) => !schema.pathKeyFields.includes(f));
    expect([...owned].sort()).toEqual(fields.sort());
  });

  it('is the table the README shows', () => {
    const readme = fs.readFileSync(README, 'utf8');
    for (const [label, dataSet] of [['task results', 'task-results'], ['KPI results', 'kpi-results']] as const) {
      const row = readme.split('\n').find((line) => line.startsWith(`| ${label} |`));
      const [assigner, reporter] = row!.split('|').slice(2, 4).map((cell) => [...cell.matchAll(/`(\w+)`/g)].map((m) => m[1]));
      expect(assigner).toEqual([...FIELD_OWNERSHIP[dataSet].ASSIGNER]);
      expect(reporter).toEqual([...FIELD_OWNERSHIP[dataSet].REPORTER]);
    }
  });

  it('names each field of the other side that a write changes, treating absent, null, empty alike', () => {
    const stored = { dueDate: '2027-12-31', priority: 2, coordinatingUnits: ['Bộ Tư pháp'], expectedOutput: null, result: 'NOT_STARTED' };
    expect(unownedChanges('task-results', 'REPORTER', { ...stored, result: 'COMPLETED' }, stored)).toEqual([]);
    expect(unownedChanges('task-results', 'REPORTER', { ...stored, expectedOutput: '', coordinatingUnits: ['Bộ Tư pháp'] }, stored)).toEqual([]);
    expect(unownedChanges('task-results', 'REPORTER', { ...stored, dueDate: '2028-01-01', coordinatingUnits: [] }, stored)).toEqual([
      { field: 'coordinatingUnits', problem: 'owned by the ASSIGNER' },
      { field: 'dueDate', problem: 'owned by the ASSIGNER' },
    ]);
    expect(unownedChanges('task-results', 'ASSIGNER', { ...stored, result: 'COMPLETED' }, stored)).toEqual([{ field: 'result', problem: 'owned by the REPORTER' }]);
  });
});
