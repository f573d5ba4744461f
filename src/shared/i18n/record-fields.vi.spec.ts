import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { KPI_RESULT_SCHEMA } from '../../data-exchange/kpi-results/kpi-result.schema.js';
import { TASK_RESULT_SCHEMA } from '../../data-exchange/task-results/task-result.schema.js';
import { recordBodyKeys } from '../../data-exchange/versions/version-body.js';
import { RECORD_FIELDS_VI } from './record-fields.vi.js';

const document = JSON.parse(fs.readFileSync(path.resolve('openapi/data-plane.openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
};

describe('the record fields in Vietnamese (RECORD_FIELDS_VI)', () => {
  it.each([
    ['task-results', TASK_RESULT_SCHEMA, 'TaskResultDto'],
    ['kpi-results', KPI_RESULT_SCHEMA, 'KpiResultDto'],
  ] as const)('%s: names every field a version carries, in the words of the numbered field descriptions', (dataSet, schema, dto) => {
    const labels = RECORD_FIELDS_VI[dataSet];
    const carried = recordBodyKeys(schema);
    expect(carried.filter((field) => !labels[field])).toEqual([]);
    // "9. Kết quả thực hiện trong kỳ — result in the period": the words between the number and the dash.
    const numbered = Object.entries(document.components.schemas[dto].properties)
      .map(([field, property]) => [field, /^\d+[ab]?\. (.+?) — /.exec(property.description ?? '')?.[1]] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
    expect(numbered.length).toBeGreaterThan(10);
    expect(numbered.filter(([field, words]) => labels[field] !== words)).toEqual([]);
  });
});
