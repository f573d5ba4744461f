import type { OpenAPIObject } from '@nestjs/swagger';
import type { DataSet } from '../../connections/connection-scope.js';
import { ownerOfField } from './field-ownership.js';

const RECORD_SCHEMAS: Record<DataSet, string[]> = {
  'task-results': ['TaskResultInputDto', 'TaskResultDto'],
  'kpi-results': ['KpiResultInputDto', 'KpiResultDto'],
};

type Schema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/**
 * Puts the field-ownership table into the OpenAPI document: `x-owner: ASSIGNER | REPORTER` on every
 * owned field of the record schemas (from FIELD_OWNERSHIP, not written twice), and the task-flow
 * state (FlowStateDto) into the record responses.
 */
export function annotateAuthority(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const flow = schemas.FlowStateDto;
  for (const [dataSet, names] of Object.entries(RECORD_SCHEMAS) as Array<[DataSet, string[]]>) {
    for (const name of names) {
      const schema = schemas[name];
      if (!schema?.properties) continue;
      for (const [field, property] of Object.entries(schema.properties)) {
        const owner = ownerOfField(dataSet, field);
        if (owner) property['x-owner'] = owner;
      }
      if (flow?.properties && name.endsWith('ResultDto') && !name.endsWith('InputDto')) {
        Object.assign(schema.properties, flow.properties);
        schema.required = [...new Set([...(schema.required ?? []), ...(flow.required ?? [])])];
      }
    }
  }
  return document;
}
