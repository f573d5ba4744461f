import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AgreedScopeDto } from './lifecycle.dto.js';

/** The agreement carries a role per data set (PRODUCT.md §3a); anything else is refused by name. */
describe('agreement scope: roles', () => {
  const scope = (roles?: unknown) =>
    plainToInstance(AgreedScopeDto, { dataSets: ['task-results', 'kpi-results'], directions: ['push', 'pull'], writeUnits: ['Bộ Tài chính'], readUnits: ['Bộ Tài chính'], roles });

  it('accepts a role per data set, or none', () => {
    expect(validateSync(scope({ 'task-results': 'REPORTER', 'kpi-results': 'READER' }))).toEqual([]);
    expect(validateSync(scope())).toEqual([]);
  });

  it('refuses a role outside the three, naming the data set', () => {
    const [error] = validateSync(scope({ 'task-results': 'OWNER' }));
    expect(error.property).toBe('roles');
    expect(error.children![0]).toMatchObject({ property: 'task-results', constraints: { isIn: 'must be one of ASSIGNER, REPORTER, READER' } });
  });
});
