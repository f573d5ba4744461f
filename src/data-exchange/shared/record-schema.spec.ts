import 'reflect-metadata';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { KpiResultInputDto } from '../kpi-results/dto/kpi-result-input.dto.js';
import { KPI_RESULT_SCHEMA } from '../kpi-results/kpi-result.schema.js';
import { TaskResultInputDto } from '../task-results/dto/task-result-input.dto.js';
import { TASK_RESULT_SCHEMA } from '../task-results/task-result.schema.js';
import { recordTableOf } from './record-schema.js';

/**
 * The properties a DTO declares to the OpenAPI document, in declaration order: the metadata key
 * @nestjs/swagger's @ApiProperty writes (its DECORATORS.API_MODEL_PROPERTIES_ARRAY, not exported
 * from the package's entry point). A renamed key fails this test, not silently passes it.
 */
function dtoProperties(dto: abstract new (...args: never[]) => object): string[] {
  const properties = Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) as string[] | undefined;
  if (!properties?.length) throw new Error(`${dto.name} declares no @ApiProperty (or @nestjs/swagger moved its metadata)`);
  return properties.map((p) => p.replace(/^:/, ''));
}

describe('record schemas, derived from the entities', () => {
  it.each([
    ['task-results', TASK_RESULT_SCHEMA, TaskResultInputDto],
    ['kpi-results', KPI_RESULT_SCHEMA, KpiResultInputDto],
  ])('%s: the entity stores exactly the fields the input DTO accepts, in its order', (_name, schema, dto) => {
    // attachments and classification are stored by the columns every record has (change-tracking.columns.ts).
    expect([...schema.fields.map((f) => f.field), 'attachments', 'classification']).toEqual(dtoProperties(dto));
  });

  it('keeps the columns, types and table the SQL was written against', () => {
    const byField = Object.fromEntries(TASK_RESULT_SCHEMA.fields.map((f) => [f.field, f]));
    expect(TASK_RESULT_SCHEMA).toMatchObject({ table: 'task_results', changeSequence: 'task_results_change_seq' });
    expect(byField.coordinatingUnits).toEqual({ field: 'coordinatingUnits', column: 'coordinating_units', sqlType: 'text[]' });
    expect(byField.dueDate).toEqual({ field: 'dueDate', column: 'due_date', sqlType: 'date' });
    expect(byField.priority).toEqual({ field: 'priority', column: 'priority', sqlType: 'smallint' });
    expect(byField.taskCode).toEqual({ field: 'taskCode', column: 'task_code', sqlType: 'text' });
    expect(KPI_RESULT_SCHEMA.fields.find((f) => f.field === 'reportingAgencyCode')).toEqual({
      field: 'reportingAgencyCode',
      column: 'reporting_agency_code',
      sqlType: 'text',
      readSql: `NULLIF(reporting_agency_code, '')`,
    });
  });

  it('refuses a column type no record field is written for, naming it', () => {
    @Entity('odd_records')
    class OddRecord {
      @PrimaryColumn({ type: 'varchar' }) environment: string;
      @Column({ name: 'score', type: 'numeric' }) score: string;
    }
    expect(() => recordTableOf(OddRecord)).toThrow('OddRecord.score: a column of type numeric is not one a record field can have');
  });
});
