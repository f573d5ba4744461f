import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import { ApiFailures, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { PageOf, pageWindow, toPage } from '../shared/http/paging.js';
import { CreateUnitDto, MergeUnitDto, RenameUnitDto, ResolveUnitQueryDto, UnitDetailView, UnitListQueryDto, UnitResolutionView, UnitView } from './dto/unit.dto.js';
import { UnitChangesService } from './unit-changes.service.js';
import { UnitEvent } from './unit-event.entity.js';
import type { RegisteredUnit } from './unit-register.js';
import { UNIT_KIND_LABELS } from './unit-register-seed.js';
import { UnitRegisterService } from './unit-register.service.js';
import { tonePlacementVariants } from './unit-names.js';
import { Unit } from './unit.entity.js';
import { Audited } from '../audit/http/audited.decorator.js';

const CODE = { name: 'code', description: 'Unit code', example: '38' };

/**
 * The unit register (Đơn vị): the codes agreements and records name units by. Everyone reads it;
 * the DTD keeps it (new units, renames, mergers), each change in unit_events and the audit log.
 */
@ApiTags('Units')
@Controller('control/v1/units')
export class UnitsController {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitRegisterService,
    private readonly changes: UnitChangesService,
  ) {}

  @Get()
  @ControlPlaneRoute('units.read')
  @Audited()
  @ApiOperation({ operationId: 'listUnits', summary: 'Units in force (and, on request, former ones), by kind' })
  @ApiSuccess(200, PageOf(UnitView))
  @ApiFailures(400)
  async list(@Query() query: UnitListQueryDto) {
    await this.units.reload();
    const register = this.units.register();
    const window = pageWindow(query);
    // The register is held in memory (reference data, a few hundred units): paged from there, by code.
    const units = register.all()
      .filter((u) => (query.includeFormer === 'true' || (!u.successorCode && !u.validTo)) && (!query.kind || u.kind === query.kind))
      .sort((a, b) => a.code.localeCompare(b.code));
    return toPage(units.slice(window.skip, window.skip + window.take), window, (u) => this.view(u));
  }

  @Get('resolve')
  @ControlPlaneRoute('units.read')
  @Audited()
  @ApiOperation({ operationId: 'resolveUnit', summary: 'Which unit a name (any spelling, former name, with or without "Tỉnh ủy"…) stands for, or the closest entries' })
  @ApiOkResponse({ type: UnitResolutionView })
  @ApiFailures(400)
  resolve(@Query() query: ResolveUnitQueryDto): UnitResolutionView {
    const resolution = this.units.register().resolve(query.name);
    return resolution.unit
      ? { unit: this.view(resolution.unit), suggestions: [] }
      : { unit: null, suggestions: resolution.candidates.map((u) => this.view(u)) };
  }

  @Get(':code')
  @ControlPlaneRoute('units.read')
  @Audited()
  @ApiOperation({ operationId: 'getUnit', summary: 'One unit with its predecessors and its history' })
  @ApiParam(CODE)
  @ApiOkResponse({ type: UnitDetailView })
  @ApiFailures(400, [404, 'No such code'])
  async get(@Param('code') code: string): Promise<UnitDetailView> {
    const unit = await this.db.getRepository(Unit).findOneBy({ code });
    if (!unit) throw ApiError.notFound(`The unit register has no unit ${code}`);
    const predecessors = await this.db.getRepository(Unit).find({ where: { successorCode: code }, order: { code: 'ASC' } });
    const events = await this.db.getRepository(UnitEvent).find({ where: { unitCode: code }, order: { occurredAt: 'ASC' } });
    return {
      ...this.view(unit),
      updatedBy: unit.updatedBy,
      predecessorCodes: predecessors.map((p) => p.code),
      history: events.map((e) => ({ action: e.action, actorName: e.actorName, source: e.source, changes: e.changes, occurredAt: e.occurredAt.toISOString() })),
    };
  }

  @Post()
  @ControlPlaneRoute('units.manage')
  @Audited()
  @ApiOperation({ operationId: 'createUnit', summary: 'Add a unit to the register' })
  @ApiResponse({ status: 201, type: UnitView })
  @ApiResponse({ status: 400, type: ApiErrorBody, description: 'A field out of bounds, an unknown parent, or a name the register already has' })
  @ApiResponse({ status: 409, type: ApiErrorBody, description: 'The code is taken' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateUnitDto): Promise<UnitView> {
    return this.view(await this.changes.create(actor, body));
  }

  @Post(':code/rename')
  @ControlPlaneRoute('units.manage')
  @Audited()
  @ApiOperation({ operationId: 'renameUnit', summary: 'Rename a unit: the code stays, the old name becomes a former name (still accepted)' })
  @ApiParam(CODE)
  @ApiResponse({ status: 201, type: UnitView })
  @ApiFailures(400, [404, 'No such code'], [409, 'The unit is no longer in force'])
  async rename(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: RenameUnitDto): Promise<UnitView> {
    return this.view(await this.changes.rename(actor, code, body));
  }

  @Post(':code/merge')
  @ControlPlaneRoute('units.manage')
  @Audited()
  @ApiOperation({ operationId: 'mergeUnit', summary: 'Record that a unit was merged into another: its scopes and records pass to the successor (recorded in each connection\'s history)' })
  @ApiParam(CODE)
  @ApiResponse({ status: 201, type: UnitView })
  @ApiFailures(400, [404, 'No such code'], [409, 'The unit is no longer in force'])
  async merge(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: MergeUnitDto): Promise<UnitView> {
    return this.view(await this.changes.merge(actor, code, body));
  }

  private view(u: RegisteredUnit & { source?: string; updatedBy?: string | null }): UnitView {
    const register = this.units.register();
    const known = register.get(u.code) ?? u;
    const names = [u.name, u.shortName, ...u.formerNames];
    return {
      code: u.code,
      name: u.name,
      shortName: u.shortName,
      kind: u.kind,
      kindLabel: UNIT_KIND_LABELS[u.kind],
      parentCode: u.parentCode,
      validFrom: u.validFrom,
      validTo: u.validTo,
      successorCode: u.successorCode,
      currentCode: register.current(known).code,
      formerNames: u.formerNames,
      spellingVariants: [...new Set(names.flatMap(tonePlacementVariants))].filter((n) => !names.includes(n)),
      source: u.source ?? (known as Partial<Unit>).source ?? '',
      updatedBy: u.updatedBy ?? (known as Partial<Unit>).updatedBy ?? null,
    };
  }
}
