import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type Schema = Record<string, unknown>;
interface Rule {
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/**
 * Copies the constraints the server enforces (class-validator decorators on the DTOs) into the
 * document's schemas where @ApiProperty does not state them already: lengths, patterns, sizes of
 * arrays, bounds, formats. One source of truth — a DTO changed by anyone stays documented — and a
 * generated client can check input before sending it.
 */
export function documentValidationConstraints(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Rule[]> };
  for (const [target, rules] of storage.validationMetadatas) {
    const schema = schemas[target.name];
    const properties = schema?.properties as Record<string, Schema> | undefined;
    if (!properties) continue;
    for (const rule of rules) {
      const property = properties[rule.propertyName];
      if (!property) continue;
      const at = rule.each && property.type === 'array' ? (property.items as Schema) : property;
      if (at && !at.$ref && !at.allOf) apply(at, rule);
    }
  }
  return document;
}

function apply(schema: Schema, rule: Rule): void {
  const [a, b] = rule.constraints ?? [];
  const set = (key: string, value: unknown) => {
    if (schema[key] === undefined && value !== undefined) schema[key] = value;
  };
  switch (rule.name) {
    case 'isLength':
      set('minLength', a);
      set('maxLength', b);
      break;
    case 'minLength':
      set('minLength', a);
      break;
    case 'maxLength':
      set('maxLength', a);
      break;
    case 'matches':
      // A pattern with flags (e.g. /…/i) has no faithful JSON-schema form: left to the description.
      if (a instanceof RegExp && !a.flags) set('pattern', a.source);
      else if (typeof a === 'string' && !b) set('pattern', a);
      break;
    case 'arrayMinSize':
      set('minItems', a);
      break;
    case 'arrayMaxSize':
      set('maxItems', a);
      break;
    case 'min':
      set('minimum', a);
      break;
    case 'max':
      set('maximum', a);
      break;
    case 'isEmail':
      set('format', 'email');
      break;
    case 'isUuid':
      set('format', 'uuid');
      break;
    case 'isDateString':
      set('format', 'date-time');
      break;
    case 'isInt':
      if (schema.type === 'number') schema.type = 'integer';
      break;
  }
}
