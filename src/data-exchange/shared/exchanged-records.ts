import { NUL_PROBLEM, nulPath } from '../../shared/http/json-body.js';
import type { ClassConstructor } from 'class-transformer';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayReadUnit, mayWriteUnit } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import { resolveUnitFields } from '../../units/record-units.js';
import type { UnitRegisterService } from '../../units/unit-register.service.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import { BatchItemOutcome, BatchResponse, summarise } from './batch-outcome.dto.js';
import { contentHash } from './canonical-hash.js';
import type { VersionPrecondition } from './if-match.js';
import type { RecordSchema } from './record-schema.js';
import type { PreparedItem, RecordStore, WriteContext } from './record-store.js';
import type { ComputedFieldsChoice } from './record-view.js';
import { SqlParams } from './sql-params.js';
import { validateItem } from './validate-item.js';
import { fillAssignedFields, notAssignedProblem } from '../authority/reporter-fill.js';
import { requireRole } from '../authority/roles.js';
import { refusals } from '../authority/write-guard.js';

export const MAX_BATCH_ITEMS = 1000;

/** Computed fields of a single read and the parameters they bind (built afresh for each query). */
export interface ComputedView {
  select?: ComputedFieldsChoice;
  params?: SqlParams;
}

/**
 * The push algorithm shared by task and KPI results: validate each item on its own, apply the
 * data set's rules, check the agreement's write scope and the referenced evidence, then write
 * every good item in one transaction. One bad item never blocks or loses the good ones.
 */
export abstract class ExchangedRecords<TInput extends object> {
  protected constructor(
    protected readonly store: RecordStore,
    protected readonly attachments: AttachmentsService,
    private readonly inputType: ClassConstructor<TInput>,
    /** CLASSIFIED_RECORDS: 'refuse' on a deployment that is not on the protected network. */
    private readonly classifiedRecords: 'accept' | 'refuse',
    protected readonly units: UnitRegisterService,
  ) {}

  /** For the task flow and version history (task-flow/, versions/), which work on the same table. */
  get recordStore(): RecordStore {
    return this.store;
  }

  protected get schema(): RecordSchema {
    return this.store.schema;
  }

  /** Data-set rules beyond field validation (e.g. a period that matches its period type). */
  protected abstract rules(input: TInput): FieldProblem[];

  /** `screened`: items the attack-signature screen refused (by index), rejected without a look. */
  async upsertBatch(ctx: WriteContext, body: unknown, screened?: ReadonlyMap<number, FieldProblem>): Promise<BatchResponse> {
    if (!Array.isArray(body)) throw ApiError.badRequest('Body must be {"items": [...]}', [{ field: 'items', problem: 'must be an array' }]);
    if (body.length > MAX_BATCH_ITEMS) throw ApiError.tooLarge(`A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${body.length}`);
    requireRole(ctx.principal, this.schema.dataSet, 'WRITER', 'push records');
    const { items, unassigned } = await fillAssignedFields(this.store, ctx.principal, body);
    const outcomes = new Map<number, BatchItemOutcome>();
    const prepared: PreparedItem[] = [];
    const seen = new Set<string>();
    const results = items.map((plain, index) => (screened?.has(index) ? null : this.prepare(ctx.principal, plain, index)));
    // A unit this instance's copy of the register does not know (yet): read it again, judge again.
    if (results.some((r) => r && 'unitMiss' in r) && (await this.units.refreshOnMiss())) {
      for (const [index, r] of results.entries()) if (r && 'unitMiss' in r) results[index] = this.prepare(ctx.principal, items[index], index);
    }
    for (const [index, result] of results.entries()) {
      const refused = screened?.get(index);
      if (refused || !result) {
        outcomes.set(index, { key: `#${index}`, status: 'rejected', errors: [refused!] });
        continue;
      }
      if (unassigned.has(index)) {
        const key = this.schema.pathKeyFields.map((f) => (items[index] as Record<string, unknown>)[f]).join('/');
        outcomes.set(index, { key, status: 'rejected', errors: [notAssignedProblem(this.schema.dataSet, this.schema.pathKeyFields, key)] });
        continue;
      }
      if ('problems' in result) {
        outcomes.set(index, { key: result.key, status: 'rejected', errors: result.problems });
      } else if (seen.has(result.recordKey)) {
        outcomes.set(index, { key: result.key, status: 'rejected', errors: [{ field: this.schema.keyFields.join('/'), problem: 'appears more than once in this batch' }] });
      } else {
        seen.add(result.recordKey);
        prepared.push(result);
      }
    }
    const accepted = await this.withoutUnusableAttachments(ctx.principal, prepared, outcomes);
    for (const [index, outcome] of await this.store.upsert(ctx, accepted)) outcomes.set(index, outcome);
    return summarise(items.map((_, index) => outcomes.get(index)!));
  }

  /**
   * PUT of one record at its key: the same path as a batch of one, with errors as HTTP statuses.
   * `key` holds the path's key fields and any other key field the request named (a KPI result's
   * reporting agency, as a query parameter); the answer carries the record's full key.
   */
  async upsertOne(ctx: WriteContext, key: Record<string, string>, body: unknown, expectedVersion?: VersionPrecondition): Promise<{ outcome: BatchItemOutcome; key: Record<string, string> }> {
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      for (const field of Object.keys(key)) {
        const given = (body as Record<string, unknown>)[field];
        if (given !== undefined && given !== key[field]) {
          throw ApiError.badRequest('The body does not match the path', [{ field, problem: `is ${JSON.stringify(given)} but the path says ${key[field]}` }]);
        }
      }
      body = { ...body, ...key };
    }
    requireRole(ctx.principal, this.schema.dataSet, 'WRITER', 'push records');
    const filled = await fillAssignedFields(this.store, ctx.principal, [body]);
    if (filled.unassigned.size) {
      const problem = notAssignedProblem(this.schema.dataSet, this.schema.pathKeyFields, this.schema.pathKeyFields.map((f) => key[f]).join('/'));
      throw new ApiError(404, 'NOT_ASSIGNED', problem.problem, [problem]);
    }
    body = filled.items[0];
    let result = this.prepare(ctx.principal, body, 0);
    if ('unitMiss' in result && (await this.units.refreshOnMiss())) result = this.prepare(ctx.principal, body, 0);
    if ('problems' in result) {
      if (result.outsideScope) throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', `${result.problems[0].field}: ${result.problems[0].problem}`);
      throw ApiError.badRequest('Validation failed', result.problems);
    }
    const outcomes = new Map<number, BatchItemOutcome>();
    const accepted = await this.withoutUnusableAttachments(ctx.principal, [result], outcomes);
    if (accepted.length === 0) throw ApiError.badRequest('Validation failed', outcomes.get(0)!.errors);
    const outcome = (await this.store.upsert(ctx, accepted, expectedVersion)).get(0)!;
    const refusal = refusals.get(outcome);
    if (refusal === 'NOT_ASSIGNED') throw new ApiError(404, 'NOT_ASSIGNED', outcome.errors![0].problem, outcome.errors);
    if (refusal === 'NOT_OWNED') throw new ApiError(403, 'FIELD_NOT_OWNED', `This write changes fields its caller does not own: ${outcome.errors!.map((e) => e.field).join(', ')}`, outcome.errors);
    if (outcome.status === 'rejected') throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', outcome.errors!.map((e) => e.problem).join('; '));
    const { record } = accepted[0];
    return { outcome, key: Object.fromEntries(this.schema.keyFields.map((f) => [f, String(record[f])])) };
  }

  /** `unitMiss`: refused for a unit name, code or scope that a fresher register might accept. */
  private prepare(principal: DataPlanePrincipal, plain: unknown, index: number): PreparedItem | { key: string; problems: FieldProblem[]; outsideScope?: true; unitMiss?: true } {
    const keyOfPlain = () => {
      const obj = (plain ?? {}) as Record<string, unknown>;
      const parts = this.schema.pathKeyFields.map((f) => obj[f]);
      return parts.every((p) => typeof p === 'string') ? parts.join('/') : `#${index}`;
    };
    // The key is optional in the class (a PUT names it in its path) but a batch item must carry it.
    const missingKeys = (item: unknown) => this.schema.pathKeyFields.filter((f) => ((item ?? {}) as Record<string, unknown>)[f] == null).map((field) => ({ field, problem: 'is required' }));
    // A batch's body is parsed whole (json-body.ts leaves U+0000 in batches to each item): this item alone is refused.
    const nul = nulPath(plain);
    if (nul !== null) return { key: keyOfPlain(), problems: [{ field: nul, problem: NUL_PROBLEM }] };
    const { value, problems } = validateItem(this.inputType, plain);
    if (!value) return { key: keyOfPlain(), problems: [...missingKeys(plain).filter((m) => !problems.some((p) => p.field === m.field)), ...problems] };
    const record = value as unknown as Record<string, unknown>;
    const ruleProblems = [
      ...missingKeys(record),
      ...this.rules(value),
      ...this.classificationProblems(record),
    ];
    if (ruleProblems.length) return { key: keyOfPlain(), problems: ruleProblems };
    const register = this.units.register();
    const unitProblems = resolveUnitFields(register, record, this.schema.unitFields);
    if (unitProblems.length) return { key: keyOfPlain(), problems: unitProblems, unitMiss: true };
    const ownerCode = String(record[this.schema.ownerCodeField]);
    if (!mayWriteUnit(register, principal.scope, ownerCode)) {
      const owner = `${String(record[this.schema.ownerField])} (${ownerCode})`;
      const problem = `${owner} is not among the units this connection may write for`;
      return { key: keyOfPlain(), problems: [{ field: this.schema.ownerField, problem }], outsideScope: true, unitMiss: true };
    }
    record.classification ??= 'UNCLASSIFIED';
    record.attachments = ((record.attachments as string[] | undefined) ?? []).map((id) => id.toLowerCase());
    for (const f of this.schema.fields) if (f.sqlType === 'text[]') record[f.field] ??= [];
    const hashed = [...this.schema.fields.map((f) => f.field), 'classification', 'attachments'];
    const recordKey = this.schema.keyFields.map((f) => record[f]).join('/');
    return { index, key: keyOfPlain(), recordKey, record, hash: contentHash(hashed, record) };
  }

  /**
   * III.1.d: a classified record carries only its status. The gateway takes classified records
   * only up to what the deployment is approved for: never Tuyệt mật (the approved cryptographic
   * solution stops at Tối mật), and none at all off the protected network.
   */
  private classificationProblems(record: Record<string, unknown>): FieldProblem[] {
    const level = record.classification;
    if (!level || level === 'UNCLASSIFIED') return [];
    if (level === 'TOP_SECRET') {
      return [{ field: 'classification', problem: 'TOP_SECRET (Tuyệt mật) records are never exchanged through this gateway: its approved cryptography stops at SECRET (Tối mật)' }];
    }
    if (this.classifiedRecords === 'refuse') {
      return [{ field: 'classification', problem: `${level} records are refused on this deployment: it is not on the protected network (CLASSIFIED_RECORDS=refuse)` }];
    }
    return this.schema.restrictedFields
      .filter((f) => {
        const v = record[f];
        return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '';
      })
      .map((field) => ({ field, problem: `must be absent: the record is classified ${level}, and classified records carry only their status` }));
  }

  /** A record may reference only evidence its connection uploaded or may already read. */
  private async withoutUnusableAttachments(principal: DataPlanePrincipal, items: PreparedItem[], outcomes: Map<number, BatchItemOutcome>) {
    const ids = [...new Set(items.flatMap((i) => i.record.attachments as string[]))];
    const unknown = await this.attachments.unusableIds(principal, ids);
    if (unknown.size === 0) return items;
    return items.filter((item) => {
      const missing = (item.record.attachments as string[]).map((id, n) => [id, n] as const).filter(([id]) => unknown.has(id));
      if (missing.length === 0) return true;
      outcomes.set(item.index, {
        key: item.key,
        status: 'rejected',
        errors: missing.map(([id, n]) => ({ field: `attachments.${n}`, problem: `no attachment ${id} that this connection uploaded or may read (in this environment)` })),
      });
      return false;
    });
  }

  async revoke(ctx: WriteContext, key: Record<string, string>, expectedVersion?: VersionPrecondition): Promise<Record<string, unknown>> {
    return JSON.parse((await this.store.revoke(ctx, key, expectedVersion)).json);
  }

  /**
   * The owner codes a pull's unit filter (`leadUnit` / `leadUnitCode`, `reportingAgency` /
   * `reportingAgencyCode`) selects: the unit answerable now and every unit merged into it; null
   * without a filter. An unknown or ambiguous name is a 400 with the nearest register entries;
   * a unit outside the read scope is a 403.
   */
  protected async ownerFilter(principal: DataPlanePrincipal, name: string | undefined, code: string | undefined): Promise<string[] | null> {
    if (name === undefined && code === undefined) return null;
    const judge = () => {
      const register = this.units.register();
      const record: Record<string, unknown> = { [this.schema.ownerField]: name, [this.schema.ownerCodeField]: code };
      const problems = resolveUnitFields(register, record, [{ nameField: this.schema.ownerField, codeField: this.schema.ownerCodeField, many: false }]);
      if (problems.length) return { problems };
      const unit = String(record[this.schema.ownerCodeField]);
      return { unit, readable: mayReadUnit(register, principal.scope, unit), codes: register.family(unit) };
    };
    let verdict = judge();
    if (('problems' in verdict || !verdict.readable) && (await this.units.refreshOnMiss())) verdict = judge();
    if ('problems' in verdict) throw ApiError.badRequest('Unknown or ambiguous unit', verdict.problems);
    if (!verdict.readable) throw ApiError.forbidden('OUTSIDE_READ_SCOPE', `The connection agreement does not allow reading records of ${name ?? code} (${verdict.unit})`);
    return verdict.codes;
  }

  /** One live record's view, or the reason it cannot be shown. */
  protected async visibleRecord(principal: DataPlanePrincipal, key: Record<string, string>, label: string, view: () => ComputedView = () => ({}), asWriter = false) {
    const find = () => {
      const { select, params } = view();
      return this.store.findOne(principal, key, select, params, asWriter);
    };
    // Not visible may mean this instance's register has not yet seen the DTD's latest change.
    let row = await find();
    if (!row && (await this.units.refreshOnMiss())) row = await find();
    if (!row) throw ApiError.notFound(`No ${label} among those this connection may read`);
    if (row.revoked) throw new ApiError(404, 'RECORD_REVOKED', `${label} was revoked at ${row.revokedAt}`);
    return JSON.parse(row.json) as Record<string, unknown>;
  }
}
