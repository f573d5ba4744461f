import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ControllerSpecApp, controllerApp } from '../../test/support/controller-spec.js';
import { UNIT_CODE_MESSAGE } from '../data-exchange/shared/validators.js';
import { UnitChangesService } from './unit-changes.service.js';
import { UnitRegisterService } from './unit-register.service.js';
import { UnitsController } from './units.controller.js';

/**
 * The unit register's routes: everyone signed in reads it, only the DTD changes it, and a change
 * must name its code, kind and the decision it comes from. Checked at the controller with the
 * services replaced; the register's own rules (resolution, mergers passing scopes on) are in
 * unit-register.spec.ts and test/units.e2e-spec.ts.
 */
describe('UnitsController: permissions and validation', () => {
  const MOF = 'Bộ Tài chính';
  const reached = () => jest.fn(async () => {
    throw new Error('reached the service');
  });
  const changes = { create: reached(), rename: reached(), merge: reached() };
  const register = { register: jest.fn(() => ({ all: () => [], resolve: () => ({ unit: null, candidates: [] }) })), reload: jest.fn(async () => undefined) };
  let spec: ControllerSpecApp;

  beforeAll(async () => {
    spec = await controllerApp(UnitsController, [
      { provide: UnitChangesService, useValue: changes },
      { provide: UnitRegisterService, useValue: register },
      { provide: DataSource, useValue: {} },
    ]);
  });
  afterAll(() => spec.close());
  afterEach(() => jest.clearAllMocks());

  const unit = { code: 'T-1', name: 'Xã Thử Nghiệm', kind: 'COMMUNE', parentCode: '38', source: 'Nghị quyết thử nghiệm' };
  const untouched = () => Object.values(changes).every((m) => m.mock.calls.length === 0);

  it.each(['UNIT_ADMIN:' + MOF, 'DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR', 'SYSTEM_ADMIN'])('lets %s read the register', async (role) => {
    expect(await spec.call(role, 'GET', '/control/v1/units')).toMatchObject({ status: 200, body: { items: [] } });
    expect((await spec.call(role, 'GET', `/control/v1/units/resolve?name=${encodeURIComponent('Tỉnh Thanh Hoá')}`)).status).toBe(200);
  });

  it.each([
    ['UNIT_ADMIN:' + MOF, 'POST', '/control/v1/units', unit],
    ['SECURITY_OFFICER', 'POST', '/control/v1/units/38/rename', { name: 'Tỉnh Mới', source: 'Nghị quyết thử nghiệm' }],
    ['SYSTEM_ADMIN', 'POST', '/control/v1/units/38/merge', { successorCode: '40', effectiveOn: '2025-07-01', source: 'Nghị quyết thử nghiệm' }],
    ['AUDITOR', 'POST', '/control/v1/units', unit],
  ] as const)('refuses %s to %s %s (the DTD keeps the register)', async (role, method, url, body) => {
    expect(await spec.call(role, method, url, body)).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_ALLOWED' } });
    expect(untouched()).toBe(true);
  });

  it('names each field of a new unit that is wrong, and why', async () => {
    const bad = await spec.call('DTD_REVIEWER', 'POST', '/control/v1/units', { code: 'có dấu', name: 'X', kind: 'VILLAGE', parentCode: '', validFrom: '2025-02-30', source: 'ngắn' });
    expect(bad.status).toBe(400);
    expect(bad.body!.details).toEqual(
      expect.arrayContaining([
        { field: 'code', problem: UNIT_CODE_MESSAGE },
        expect.objectContaining({ field: 'name' }),
        { field: 'kind', problem: expect.stringContaining('must be one of PARTY_COMMITTEE_UNDER_CC') },
        { field: 'parentCode', problem: UNIT_CODE_MESSAGE },
        { field: 'validFrom', problem: 'must be a real calendar date' },
        expect.objectContaining({ field: 'source' }),
      ]),
    );
    expect(untouched()).toBe(true);
  });

  it('takes a valid unit to the service, its names in NFC with spaces folded', async () => {
    const decomposed = 'Xã  Thử Nghiệm'.normalize('NFD');
    await spec.call('DTD_REVIEWER', 'POST', '/control/v1/units', { ...unit, name: ` ${decomposed} ` });
    expect(changes.create).toHaveBeenCalledWith(expect.objectContaining({ role: 'DTD_REVIEWER' }), expect.objectContaining({ code: 'T-1', name: 'Xã Thử Nghiệm' }));
  });

  it('a merger names its successor by code and the day it takes effect', async () => {
    const bad = await spec.call('DTD_REVIEWER', 'POST', '/control/v1/units/38/merge', { successorCode: 'Tỉnh Bắc Ninh', effectiveOn: '01/07/2025', source: 'Nghị quyết thử nghiệm' });
    expect(bad.body!.details).toEqual([
      { field: 'successorCode', problem: UNIT_CODE_MESSAGE },
      { field: 'effectiveOn', problem: 'must be a date as YYYY-MM-DD' },
      { field: 'effectiveOn', problem: 'must be a real calendar date' },
    ]);
    expect(untouched()).toBe(true);
  });

  it('filters the list only by a known kind and a true/false flag', async () => {
    const bad = await spec.call('AUDITOR', 'GET', '/control/v1/units?kind=VILLAGE&includeFormer=yes');
    expect(bad.status).toBe(400);
    expect(bad.body!.details.map((d: { field: string }) => d.field).sort()).toEqual(['includeFormer', 'kind']);
    expect(register.reload).not.toHaveBeenCalled();
  });
});
