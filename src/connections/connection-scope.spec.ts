import { ConnectionScope, mayReadUnit, mayUse, mayWriteUnit, scopeToOAuthScope } from './connection-scope.js';

describe('connection scope', () => {
  const scope: ConnectionScope = {
    dataSets: ['task-results', 'kpi-results'],
    directions: ['push', 'pull'],
    directionsByDataSet: { 'task-results': ['push'], 'kpi-results': ['pull'] },
    writeUnits: ['Bộ Tài chính'],
    readUnits: ['*'],
  };

  it('enforces directions per data set when the agreement sets them', () => {
    expect(mayUse(scope, 'task-results', 'push')).toBe(true);
    expect(mayUse(scope, 'task-results', 'pull')).toBe(false);
    expect(mayUse(scope, 'kpi-results', 'pull')).toBe(true);
    expect(mayUse(scope, 'kpi-results', 'push')).toBe(false);
    expect(scopeToOAuthScope(scope)).toBe('task-results:write kpi-results:read');
  });

  it('compares unit names in Unicode NFC, and * reads every unit', () => {
    const decomposed = 'Bộ Tài chính'.normalize('NFD');
    expect(mayWriteUnit(scope, decomposed)).toBe(true);
    expect(mayReadUnit(scope, 'Bộ Y tế')).toBe(true);
    expect(mayWriteUnit(scope, 'Bộ Y tế')).toBe(false);
  });
});
