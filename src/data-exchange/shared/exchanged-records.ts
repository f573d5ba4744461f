import type { ClassConstructor } from 'class-transformer';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayWriteUnit } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import { BatchItemOutcome, BatchResponse, summarise } from './batch-outcome.dto.js';
import { contentHash } from './canonical-hash.js';
import type { VersionPrecondition } from './if-match.js';
import type { RecordSchema } from './record-schema.js';
import type { PreparedItem, RecordStore, WriteContext } from './record-store.js';
import { SqlParams } from './sql-params.js';
import { validateItem } from './validate-item.js';

export const MAX_BATCH_ITEMS = 1000;

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
  ) {}

  protected get schema(): RecordSchema {
    return this.store.schema;
  }

  /** Data-set rules beyond field validation (e.g. a period that matches its period type). */
  protected abstract rules(input: TInput): FieldProblem[];

  /** `screened`: items the attack-signature screen refused (by index), rejected without a look. */
  async upsertBatch(ctx: WriteContext, items: unknown, screened?: ReadonlyMap<number, FieldProblem>): Promise<BatchResponse> {
    if (!Array.isArray(items)) throw ApiError.badRequest('Body must be {"items": [...]}', [{ field: 'items', problem: 'must be an array' }]);
    if (items.length > MAX_BATCH_ITEMS) throw ApiError.tooLarge(`A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}`);
    const outcomes = new Map<number, BatchItemOutcome>();
    const prepared: PreparedItem[] = [];
    const seen = new Set<string>();
    for (const [index, plain] of items.entries()) {
      const refused = screened?.get(index);
      if (refused) {
        outcomes.set(index, { key: `#${index}`, status: 'rejected', errors: [refused] });
        continue;
      }
      const result = this.prepare(ctx.principal, plain, index);
      if ('problems' in result) {
        outcomes.set(index, { key: result.key, status: 'rejected', errors: result.problems });
      } else if (seen.has(result.key)) {
        outcomes.set(index, { key: result.key, status: 'rejected', errors: [{ field: this.schema.keyFields.join('/'), problem: 'appears more than once in this batch' }] });
      } else {
        seen.add(result.key);
        prepared.push(result);
      }
    }
    const accepted = await this.withoutUnknownAttachments(ctx.principal, prepared, outcomes);
    for (const [index, outcome] of await this.store.upsert(ctx, accepted)) outcomes.set(index, outcome);
    return summarise(items.map((_, index) => outcomes.get(index)!));
  }

  /** PUT of one record at its key: the same path as a batch of one, with errors as HTTP statuses. */
  async upsertOne(ctx: WriteContext, key: Record<string, string>, body: unknown, expectedVersion?: VersionPrecondition): Promise<BatchItemOutcome> {
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      for (const field of this.schema.keyFields) {
        const given = (body as Record<string, unknown>)[field];
        if (given !== undefined && given !== key[field]) {
          throw ApiError.badRequest('The body does not match the path', [{ field, problem: `is ${JSON.stringify(given)} but the path says ${key[field]}` }]);
        }
      }
      body = { ...body, ...key };
    }
    const result = this.prepare(ctx.principal, body, 0);
    if ('problems' in result) {
      if (result.outsideScope) throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', `${result.problems[0].field}: ${result.problems[0].problem}`);
      throw ApiError.badRequest('Validation failed', result.problems);
    }
    const outcomes = new Map<number, BatchItemOutcome>();
    const accepted = await this.withoutUnknownAttachments(ctx.principal, [result], outcomes);
    if (accepted.length === 0) throw ApiError.badRequest('Validation failed', outcomes.get(0)!.errors);
    const outcome = (await this.store.upsert(ctx, accepted, expectedVersion)).get(0)!;
    if (outcome.status === 'rejected') throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', outcome.errors!.map((e) => e.problem).join('; '));
    return outcome;
  }

  private prepare(principal: DataPlanePrincipal, plain: unknown, index: number): PreparedItem | { key: string; problems: FieldProblem[]; outsideScope?: true } {
    const keyOfPlain = () => {
      const obj = (plain ?? {}) as Record<string, unknown>;
      const parts = this.schema.keyFields.map((f) => obj[f]);
      return parts.every((p) => typeof p === 'string') ? parts.join('/') : `#${index}`;
    };
    const { value, problems } = validateItem(this.inputType, plain);
    if (!value) return { key: keyOfPlain(), problems };
    const record = value as unknown as Record<string, unknown>;
    const missingKeys = this.schema.keyFields.filter((f) => record[f] === undefined);
    const ruleProblems = [
      ...missingKeys.map((field) => ({ field, problem: 'is required' })),
      ...this.rules(value),
      ...this.classificationProblems(record),
    ];
    if (ruleProblems.length) return { key: keyOfPlain(), problems: ruleProblems };
    const owner = String(record[this.schema.ownerField]);
    if (!mayWriteUnit(principal.scope, owner)) {
      const problem = `${owner} is not among the units this connection may write for`;
      return { key: keyOfPlain(), problems: [{ field: this.schema.ownerField, problem }], outsideScope: true };
    }
    record.classification ??= 'UNCLASSIFIED';
    record.attachments = ((record.attachments as string[] | undefined) ?? []).map((id) => id.toLowerCase());
    for (const f of this.schema.fields) if (f.sqlType === 'text[]') record[f.field] ??= [];
    const hashed = [...this.schema.fields.map((f) => f.field), 'classification', 'attachments'];
    return { index, key: keyOfPlain(), record, hash: contentHash(hashed, record) };
  }

  /** III.1.d: a classified record carries only its status. */
  private classificationProblems(record: Record<string, unknown>): FieldProblem[] {
    const level = record.classification;
    if (!level || level === 'UNCLASSIFIED') return [];
    return this.schema.restrictedFields
      .filter((f) => {
        const v = record[f];
        return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '';
      })
      .map((field) => ({ field, problem: `must be absent: the record is classified ${level}, and classified records carry only their status` }));
  }

  private async withoutUnknownAttachments(principal: DataPlanePrincipal, items: PreparedItem[], outcomes: Map<number, BatchItemOutcome>) {
    const ids = [...new Set(items.flatMap((i) => i.record.attachments as string[]))];
    const unknown = await this.attachments.unknownIds(principal.environment, ids);
    if (unknown.size === 0) return items;
    return items.filter((item) => {
      const missing = (item.record.attachments as string[]).map((id, n) => [id, n] as const).filter(([id]) => unknown.has(id));
      if (missing.length === 0) return true;
      outcomes.set(item.index, {
        key: item.key,
        status: 'rejected',
        errors: missing.map(([id, n]) => ({ field: `attachments.${n}`, problem: `no attachment ${id} was uploaded in this environment` })),
      });
      return false;
    });
  }

  async revoke(ctx: WriteContext, key: Record<string, string>, expectedVersion?: VersionPrecondition): Promise<Record<string, unknown>> {
    return JSON.parse((await this.store.revoke(ctx, key, expectedVersion)).json);
  }

  /** One live record's view, or the reason it cannot be shown. */
  protected async visibleRecord(principal: DataPlanePrincipal, key: Record<string, string>, label: string, select: Record<string, string> = {}, params?: SqlParams, asWriter = false) {
    const row = await this.store.findOne(principal, key, select, params, asWriter);
    if (!row) throw ApiError.notFound(`No ${label} among those this connection may read`);
    if (row.revoked) throw new ApiError(404, 'RECORD_REVOKED', `${label} was revoked at ${row.revokedAt}`);
    return JSON.parse(row.json) as Record<string, unknown>;
  }
}
