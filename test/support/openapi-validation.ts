import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Checks real control-plane answers against the committed OpenAPI document, so the document a
 * client is generated from cannot drift from what the server sends. Stricter than the document
 * on one point: an object may carry no property the document does not name (an undocumented
 * field is either drift or a leak).
 */

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const DOCUMENT_FILE = path.resolve(import.meta.dirname, '../../openapi/control-plane.openapi.json');
const document = JSON.parse(fs.readFileSync(DOCUMENT_FILE, 'utf8')) as { paths: Record<string, Record<string, Operation['responses'] & Schema>>; components: { schemas: Record<string, Schema> } };

// ajv-formats is CommonJS: under ESM its function is the default export's `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

/** OpenAPI 3.0 → what Ajv checks: `nullable` enums admit null, objects admit only their named properties. */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'enum' || k === 'example' ? v : strict(v)]));
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  // A nullable reference ({allOf: [$ref], nullable: true}): Ajv applies `nullable` to `type` only, not to the allOf.
  if (out.nullable === true && (out.allOf || out.$ref)) {
    const { nullable: _nullable, type: _type, description: _description, ...schema } = out;
    return { anyOf: [schema, { type: 'null' }] };
  }
  return out;
}
ajv.addSchema({ $id: 'control-plane', components: strict(document.components) });

const operations: Operation[] = Object.entries(document.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => {
    const segments = template.split('/');
    return {
      operationId: (op as { operationId: string }).operationId,
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`),
      literals: segments.filter((s) => !s.startsWith('{')).length,
      responses: (op as { responses: Operation['responses'] }).responses,
    };
  }),
);

const validators = new Map<string, ValidateFunction>();

function validatorFor(operation: Operation, status: string): ValidateFunction | null {
  const key = `${operation.operationId} ${status}`;
  if (!validators.has(key)) {
    const schema = operation.responses[status]?.content?.['application/json']?.schema;
    if (!schema) return null;
    const rebased = JSON.parse(JSON.stringify(strict(schema)).replaceAll('"#/components/', '"control-plane#/components/'));
    validators.set(key, ajv.compile(rebased));
  }
  return validators.get(key)!;
}

/** The operation a request went to, by method and path (query string ignored; literal segments win over parameters). */
export function operationFor(method: string, url: string): Operation | undefined {
  const pathname = new URL(url, 'https://gateway.invalid').pathname;
  return operations
    .filter((o) => o.method === method.toUpperCase() && o.pattern.test(pathname))
    .sort((a, b) => b.literals - a.literals)[0];
}

/** Operations whose success answers were checked in this process (OPENAPI_COVERAGE_FILE collects them across suites). */
export const checkedOperations = new Set<string>();

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Why a success answer does not match its operation in the document; null when it does. */
export function openApiMismatch(response: Answer, operationId: string): string | null {
  const operation = operations.find((o) => o.operationId === operationId);
  if (!operation) return `no operation ${operationId} in ${path.basename(DOCUMENT_FILE)}`;
  const status = String(response.status);
  if (!operation.responses[status]) return `${operationId} answered ${status}, which the document does not list (${Object.keys(operation.responses).join(', ')})`;
  checkedOperations.add(operationId);
  if (process.env.OPENAPI_COVERAGE_FILE) fs.appendFileSync(process.env.OPENAPI_COVERAGE_FILE, `${operationId}\n`);
  if (status === '204') return null;
  const validate = validatorFor(operation, status);
  if (!validate) return null;
  // Streamed downloads (the audit export) are documented as a file; their JSON is not checked here.
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json') || response.headers['content-disposition']) return null;
  if (validate(response.body)) return null;
  const problems = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
  return `${operationId} ${status} does not match the OpenAPI document:\n  ${problems.join('\n  ')}`;
}

/** Fails when a success answer does not match the operation's documented status and body schema. */
export function expectMatchesOpenApi(response: Answer, operationId: string): void {
  const mismatch = openApiMismatch(response, operationId);
  if (mismatch) throw new Error(mismatch);
}

/**
 * For a supertest request: checks every 2xx answer against the operation matched by method and
 * path. Answers of other statuses are left to the test's own expectations.
 */
export function openApiCheckFor(method: string, url: string): (response: Answer) => void {
  return (response) => {
    if (response.status < 200 || response.status > 299) return;
    // The console's pages and assets (served at / by the control plane) are not API operations.
    if (!new URL(url, 'https://gateway.invalid').pathname.startsWith('/control/')) return;
    const operation = operationFor(method, url);
    if (!operation) throw new Error(`${method.toUpperCase()} ${url} answered ${response.status} but the OpenAPI document has no such operation`);
    expectMatchesOpenApi(response, operation.operationId);
  };
}
