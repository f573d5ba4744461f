import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../accounts/actor.js';
import { ConnectionEvent } from '../connections/connection-event.entity.js';
import type { ConnectionScope } from '../connections/connection-scope.js';
import { Connection } from '../connections/connection.entity.js';
import { ApiError } from '../shared/errors/api-error.js';
import type { CreateUnitDto, MergeUnitDto, RenameUnitDto } from './dto/unit.dto.js';
import { UnitEvent } from './unit-event.entity.js';
import { Unit } from './unit.entity.js';
import { UnitRegisterService } from './unit-register.service.js';

/**
 * The DTD's changes to the unit register: a new unit, a rename (the code stays, the old name
 * becomes a former name), a merger (the unit ends, its successor takes over its scopes and its
 * records). Each change is one transaction with its unit_events row; the control-plane audit hook
 * logs the call. After it, this instance's register is read again at once.
 */
@Injectable()
export class UnitChangesService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitRegisterService,
  ) {}

  async create(actor: Actor, body: CreateUnitDto): Promise<Unit> {
    await this.units.reload(); // the name check below reads the in-memory register
    const saved = await this.db.transaction(async (manager) => {
      if (await manager.findOneBy(Unit, { code: body.code })) {
        throw new ApiError(409, 'UNIT_CODE_TAKEN', `The register has a unit with code ${body.code} already`);
      }
      if (body.parentCode) await this.inForce(manager, body.parentCode, 'parentCode');
      this.assertNameFree(body.name, 'name');
      const unit = manager.create(Unit, {
        code: body.code,
        name: body.name,
        shortName: body.shortName ?? body.name,
        kind: body.kind,
        parentCode: body.parentCode ?? null,
        validFrom: body.validFrom ?? null,
        validTo: null,
        successorCode: null,
        formerNames: (body.formerNames ?? []).map((n) => n.normalize('NFC').trim()),
        source: body.source,
        updatedAt: new Date(),
        updatedBy: actor.accountId,
      });
      await manager.save(unit);
      await this.record(manager, actor, unit.code, 'CREATE', body.source, { unit: { ...unit, updatedAt: undefined } });
      return unit;
    });
    await this.units.reload();
    await this.placeUncodedRecords();
    return saved;
  }

  async rename(actor: Actor, code: string, body: RenameUnitDto): Promise<Unit> {
    const saved = await this.db.transaction(async (manager) => {
      const unit = await this.inForce(manager, code, 'code', true);
      const from = { name: unit.name, shortName: unit.shortName };
      const shortName = body.shortName ?? (unit.shortName === unit.name ? body.name : unit.shortName);
      const former = [from.name, from.shortName].filter((n) => n !== body.name && n !== shortName);
      unit.formerNames = [...new Set([...unit.formerNames, ...former])];
      Object.assign(unit, { name: body.name, shortName, source: body.source, updatedAt: new Date(), updatedBy: actor.accountId });
      await manager.save(unit);
      await this.record(manager, actor, code, 'RENAME', body.source, { from, to: { name: unit.name, shortName: unit.shortName } });
      return unit;
    });
    await this.units.reload();
    await this.placeUncodedRecords();
    return saved;
  }

  /**
   * Records stored before the register under a name it did not know have no owner code, so no
   * scope reaches them. When a new unit or name makes such a name known, the records get the code
   * of the unit it now resolves to (their content is unchanged, so their version is too).
   */
  private async placeUncodedRecords(): Promise<void> {
    const register = this.units.register();
    const names: Array<{ name: string }> = await this.db.query(
      `SELECT DISTINCT lead_unit AS name FROM task_results WHERE lead_unit_code IS NULL
       UNION SELECT DISTINCT reporting_agency FROM kpi_results WHERE reporting_agency_code = ''`,
    );
    const mapping = names.flatMap(({ name }) => {
      const unit = register.resolve(name).unit;
      return unit ? [{ name, code: unit.code }] : [];
    });
    if (mapping.length === 0) return;
    const json = JSON.stringify(mapping);
    await this.db.query(`UPDATE task_results t SET lead_unit_code = m.code FROM jsonb_to_recordset($1::jsonb) AS m(name text, code text) WHERE t.lead_unit_code IS NULL AND t.lead_unit = m.name`, [json]);
    // A KPI result's agency code is part of its key ('' while unplaced, kpi-key-agency migration):
    // one is placed only where that agency has no record of its own for the indicator and period.
    // Its kept versions stay under the key it had ('indicator/period/'): record_versions is append-only.
    await this.db.query(
      `UPDATE kpi_results k SET reporting_agency_code = m.code FROM jsonb_to_recordset($1::jsonb) AS m(name text, code text)
        WHERE k.reporting_agency_code = '' AND k.reporting_agency = m.name
          AND NOT EXISTS (SELECT 1 FROM kpi_results o WHERE o.environment = k.environment AND o.indicator_code = k.indicator_code AND o.period = k.period AND o.reporting_agency_code = m.code)`,
      [json],
    );
  }

  /**
   * Ends `code` the day before `effectiveOn` and names its successor. The units under it move
   * under the successor; every connection whose scope names it is given the successor instead,
   * recorded in that connection's history (the signed agreement versions are left as signed).
   */
  async merge(actor: Actor, code: string, body: MergeUnitDto): Promise<Unit> {
    if (body.successorCode === code) throw ApiError.badRequest('A unit cannot be merged into itself', [{ field: 'successorCode', problem: 'must be another unit' }]);
    const saved = await this.db.transaction(async (manager) => {
      // Lock the register's rows in code order so that two mergers cannot make a cycle.
      await manager.query(`SELECT code FROM units WHERE code = ANY($1) ORDER BY code FOR UPDATE`, [[code, body.successorCode]]);
      const unit = await this.inForce(manager, code, 'code', true);
      await this.inForce(manager, body.successorCode, 'successorCode');
      const validTo = dayBefore(body.effectiveOn);
      if (unit.validFrom && validTo < unit.validFrom) {
        throw ApiError.badRequest('The merger is dated before the unit began', [{ field: 'effectiveOn', problem: `must be after ${unit.validFrom}` }]);
      }
      Object.assign(unit, { validTo, successorCode: body.successorCode, updatedAt: new Date(), updatedBy: actor.accountId });
      await manager.save(unit);
      const moved: Array<{ code: string }> = await manager.query(
        `UPDATE units SET parent_code = $2, updated_at = now(), updated_by = $3 WHERE parent_code = $1 AND valid_to IS NULL RETURNING code`,
        [code, body.successorCode, actor.accountId],
      );
      const connections = await this.passScopes(manager, actor, code, body);
      await this.record(manager, actor, code, 'MERGE', body.source, {
        successorCode: body.successorCode, validTo, childrenMoved: moved.map((m) => m.code), connectionsUpdated: connections,
      });
      return unit;
    });
    await this.units.reload();
    return saved;
  }

  private async passScopes(manager: EntityManager, actor: Actor, code: string, body: MergeUnitDto): Promise<string[]> {
    const affected = await manager
      .createQueryBuilder(Connection, 'c')
      .setLock('pessimistic_write')
      .where(`c.scope->'writeUnits' ? :code OR c.scope->'readUnits' ? :code`, { code })
      .orderBy('c.id')
      .getMany();
    for (const connection of affected) {
      const previousScope = connection.scope;
      const pass = (units: string[]) => [...new Set(units.map((u) => (u === code ? body.successorCode : u)))];
      const scope: ConnectionScope = { ...previousScope, writeUnits: pass(previousScope.writeUnits), readUnits: pass(previousScope.readUnits) };
      await manager.update(Connection, { id: connection.id }, { scope });
      await manager.save(
        manager.create(ConnectionEvent, {
          connectionId: connection.id,
          action: 'unitMerged',
          fromState: connection.state,
          toState: connection.state,
          actorId: actor.accountId,
          actorName: `${actor.holderName} (${actor.username}, ${actor.role})`,
          assistantName: actor.assistant ? `${actor.assistant.holderName} (${actor.assistant.username})` : null,
          reason: `${code} merged into ${body.successorCode} from ${body.effectiveOn}: ${body.source}`,
          changes: { unit: code, successor: body.successorCode, previousScope, scope },
        }),
      );
    }
    return affected.map((c) => c.id);
  }

  private async inForce(manager: EntityManager, code: string, field: string, forUpdate = false): Promise<Unit> {
    const unit = await manager.findOne(Unit, { where: { code }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!unit) {
      if (field === 'code') throw ApiError.notFound(`The unit register has no unit ${code}`);
      throw ApiError.badRequest(`No unit ${code}`, [{ field, problem: `"${code}" is not a code of the unit register` }]);
    }
    if (unit.validTo || unit.successorCode) {
      const problem = `${unit.name} (${code}) is no longer in force${unit.successorCode ? `: merged into ${unit.successorCode}` : ''}`;
      if (field === 'code') throw new ApiError(409, 'UNIT_NOT_IN_FORCE', problem);
      throw ApiError.badRequest(problem, [{ field, problem }]);
    }
    return unit;
  }

  /** A new unit may not take a name the register already resolves: the name would become ambiguous. */
  private assertNameFree(name: string, field: string): void {
    const taken = this.units.register().resolve(name);
    if (taken.unit || taken.reason === 'ambiguous') {
      const holder = taken.unit ? `${taken.unit.name} (${taken.unit.code})` : 'several units';
      throw ApiError.badRequest('Name already in the register', [{ field, problem: `is already a name of ${holder}` }]);
    }
  }

  private async record(manager: EntityManager, actor: Actor, unitCode: string, action: string, source: string, changes: Record<string, unknown>) {
    await manager.save(
      manager.create(UnitEvent, {
        unitCode,
        action,
        actorId: actor.accountId,
        actorName: `${actor.holderName} (${actor.username}, ${actor.role})`,
        source,
        changes,
      }),
    );
  }
}

function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
