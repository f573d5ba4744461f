import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * A client is generated from the control-plane document, so every operation must say what it
 * answers: a success body with a schema (or 204), and the errors a caller has to handle, each with
 * the one error shape. New routes fail here until they are documented.
 */

/** Mutating operations on an existing resource that cannot conflict with its state (checked by reading the service). */
const NO_CONFLICT = new Set([
  'handOverAccount', // any active account can be handed over
  'lockAccount', // locking again moves the end of the lock
  'unlockAccount', // unlocking an unlocked account is a no-op
  'markNotificationRead', // idempotent
  'endOwnSession', // a session already ended is simply not one of yours (404)
  'classifyIncident', // re-classifying is allowed
  'setCalendarDay', // an upsert
  'clearCalendarDay', // absent day: 404
  'updateAccountIdentity', // the holder's details of any account, active or not
]);

/** Routes on a resource that does not have to exist beforehand. */
const NO_NOT_FOUND = new Set(['setCalendarDay', 'setRoleSecondFactor' /* the role is an enum: 400 */]);

interface ResponseObject {
  content?: Record<string, { schema?: unknown }>;
}
interface OperationObject {
  operationId?: string;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: Array<{ name: string }>;
  responses: Record<string, ResponseObject>;
}

const ERROR_BODY = '#/components/schemas/ApiErrorBody';

type Operation = { id: string; method: string; path: string; op: OperationObject };

function operations(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, OperationObject>).map(([method, op]) => ({ id: op.operationId ?? `${method} ${path}`, method, path, op })),
  );
}

function schemaOf(response: ResponseObject | undefined): unknown {
  return response?.content?.['application/json']?.schema;
}

/** A success body's schema: JSON, or a file download's declared binary media type. */
function successSchemaOf(response: ResponseObject | undefined): unknown {
  return schemaOf(response) ?? Object.values(response?.content ?? {}).find((media) => media.schema)?.schema;
}

/** The error statuses an operation must document, from what it takes and where it lives. */
function expectedErrors({ id, method, path, op }: Operation): number[] {
  const statuses: number[] = [];
  const isPublic = !op.security?.length;
  if (op.requestBody || op.parameters?.length) statuses.push(400);
  statuses.push(401);
  if (!isPublic) statuses.push(403);
  if (path.includes('{') && !NO_NOT_FOUND.has(id)) statuses.push(404);
  if (method !== 'get' && path.includes('{') && !NO_CONFLICT.has(id)) statuses.push(409);
  // Public routes are the sign-in routes, throttled per address.
  if (isPublic) statuses.push(429);
  return statuses;
}

describe('control-plane OpenAPI document: every operation documents its answers', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await buildOpenApiDocument('control-plane');
  });

  it('has a success response with a body schema, or 204', () => {
    const missing = operations(document).flatMap(({ id, op }) => {
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (!success.length) return [`${id}: no 2xx response`];
      return success.flatMap(([status, response]) => (status === '204' || successSchemaOf(response as ResponseObject) ? [] : [`${id}: ${status} has no body schema`]));
    });
    expect(missing).toEqual([]);
  });

  it('documents its error statuses (400, 401, 403, 404, 409, 429 where they apply) with ApiErrorBody', () => {
    const missing = operations(document).flatMap((operation) =>
      expectedErrors(operation).flatMap((status) => {
        const schema = schemaOf(operation.op.responses[String(status)] as ResponseObject) as { $ref?: string } | undefined;
        return schema?.$ref === ERROR_BODY ? [] : [`${operation.id}: ${status}`];
      }),
    );
    expect(missing).toEqual([]);
  });

  it('answers lists with a page ({items, nextCursor}) and takes limit and cursor', () => {
    const unpaged = operations(document).flatMap(({ id, method, op }) => {
      if (method !== 'get') return [];
      const schema = schemaOf(op.responses['200'] as ResponseObject) as { type?: string; $ref?: string } | undefined;
      if (schema?.type === 'array') return [`${id}: answers a bare array`];
      const ref = schema?.$ref?.split('/').pop();
      const props = (ref && (document.components!.schemas![ref] as { properties?: Record<string, { type?: string }> }).properties) || {};
      if (props.items?.type !== 'array') return [];
      const names = (op.parameters ?? []).map((p) => p.name);
      return 'nextCursor' in props && names.includes('limit') && names.includes('cursor') ? [] : [`${id}: a list without limit, cursor and nextCursor`];
    });
    expect(unpaged).toEqual([]);
  });

  it('states the constraints the server enforces on input (from the DTOs\' validators)', () => {
    const schemas = document.components!.schemas! as Record<string, { properties: Record<string, Record<string, unknown>> }>;
    expect(schemas.RecordAgreementDto.properties.signatories).toMatchObject({ minItems: 2 });
    expect(schemas.ConfigureConnectionDto.properties.unitCode).toMatchObject({ pattern: '^[A-Za-z0-9._-]{2,64}$' });
    expect(schemas.ContactPointDto.properties.phone).toMatchObject({ pattern: '^[+0-9 ()-]{6,20}$' });
    expect(schemas.ContactPointDto.properties.email).toMatchObject({ format: 'email' });
    expect(schemas.TechnicalDossierDto.properties.purpose).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(schemas.AgreedScopeDto.properties.dataSets).toMatchObject({ minItems: 1 });
    expect(schemas.RecordAgreementDto.properties.allowedSourceAddresses).toMatchObject({ items: { pattern: expect.any(String) } });
  });

  it('sends no raw entity: no view exposes secret or internal columns', () => {
    const forbidden = /^(passwordHash|totpSecret|totpLastStep|activationHash|credentialsVersion|failedLogins|csrPem|pendingCsrs|secretHash)$/;
    const leaks = Object.entries(document.components!.schemas!).flatMap(([name, schema]) =>
      Object.keys((schema as { properties?: object }).properties ?? {})
        .filter((p) => forbidden.test(p) && !name.endsWith('Dto'))
        .map((p) => `${name}.${p}`),
    );
    expect(leaks).toEqual([]);
  });
});
