import { UnitRegister } from '../units/unit-register.js';
import { SEEDED_UNITS } from '../units/unit-register-seed.js';
import { ConnectionScope, mayReadUnit, mayUse, mayWriteUnit, readableUnits, scopeToOAuthScope } from './connection-scope.js';

describe('connection scope', () => {
  const register = new UnitRegister(SEEDED_UNITS);
  const scope: ConnectionScope = {
    dataSets: ['task-results', 'kpi-results'],
    directions: ['push', 'pull'],
    directionsByDataSet: { 'task-results': ['push'], 'kpi-results': ['pull'] },
    writeUnits: ['GW-BTC'],
    readUnits: ['*'],
  };

  it('enforces directions per data set when the agreement sets them', () => {
    expect(mayUse(scope, 'task-results', 'push')).toBe(true);
    expect(mayUse(scope, 'task-results', 'pull')).toBe(false);
    expect(mayUse(scope, 'kpi-results', 'pull')).toBe(true);
    expect(mayUse(scope, 'kpi-results', 'push')).toBe(false);
    expect(scopeToOAuthScope(scope)).toBe('task-results:write kpi-results:read');
  });

  it('matches unit codes; * reads every unit and writes none', () => {
    expect(mayWriteUnit(register, scope, 'GW-BTC')).toBe(true);
    expect(mayReadUnit(register, scope, 'GW-BYT')).toBe(true);
    expect(mayWriteUnit(register, scope, 'GW-BYT')).toBe(false);
    expect(mayWriteUnit(register, { ...scope, writeUnits: ['*'] }, '*')).toBe(false);
    expect(readableUnits(register, scope)).toBeNull();
  });

  it('passes a merged unit\'s scope to its successor and reads a parent\'s units', () => {
    const bacGiang = { ...scope, writeUnits: ['24'], readUnits: ['GW-DB-CCQD'] };
    expect(mayWriteUnit(register, bacGiang, 'GW-T-BAC-NINH')).toBe(true);
    expect(mayWriteUnit(register, bacGiang, '27')).toBe(true);
    expect(mayWriteUnit(register, bacGiang, '38')).toBe(false);
    expect(mayReadUnit(register, bacGiang, 'GW-VPTW')).toBe(true);
    expect(mayReadUnit(register, bacGiang, 'GW-BTC')).toBe(false);
  });

  it('resolves names left in agreements recorded before the register', () => {
    const legacy = { ...scope, writeUnits: ['Bộ Tài chính'.normalize('NFD')], readUnits: [] };
    expect(mayWriteUnit(register, legacy, 'GW-BTC')).toBe(true);
  });
});
