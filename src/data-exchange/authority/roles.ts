import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { type DataSet, type DataSetRole, mayUse } from '../../connections/connection-scope.js';
import { ApiError } from '../../shared/errors/api-error.js';

/**
 * What a connection may do to a data set's records, from its agreement's role (PRODUCT.md §3a).
 *
 * `legacy`: an agreement without a role for this data set (recorded before roles existed). Such a
 * connection keeps exactly the authority it had: where it may push it is ASSIGNER and REPORTER at
 * once (creates, revokes, writes every field, may confirm, dispute and review); where it only
 * pulls it is a READER. New agreements name a role; an operator re-records an old agreement to
 * bring it under the guidance's division of authority.
 */
export interface Authority {
  role: DataSetRole | 'ASSIGNER+REPORTER';
  assigns: boolean;
  reports: boolean;
  legacy: boolean;
}

export function authorityOf(principal: DataPlanePrincipal, dataSet: DataSet): Authority {
  const role = principal.scope.roles?.[dataSet];
  if (role) return { role, assigns: role === 'ASSIGNER', reports: role === 'REPORTER', legacy: false };
  const pushes = mayUse(principal.scope, dataSet, 'push');
  return pushes ? { role: 'ASSIGNER+REPORTER', assigns: true, reports: true, legacy: true } : { role: 'READER', assigns: false, reports: false, legacy: true };
}

/** 403 unless the connection's role on the data set allows `what`. */
export function requireRole(principal: DataPlanePrincipal, dataSet: DataSet, needs: 'ASSIGNER' | 'REPORTER' | 'WRITER', what: string): Authority {
  const authority = authorityOf(principal, dataSet);
  const ok = needs === 'ASSIGNER' ? authority.assigns : needs === 'REPORTER' ? authority.reports : authority.assigns || authority.reports;
  if (!ok) {
    const wanted = needs === 'WRITER' ? 'ASSIGNER or REPORTER' : needs;
    throw ApiError.forbidden('DATA_ROLE_NOT_ALLOWED', `Only the ${wanted} of ${dataSet} may ${what}; this connection's agreement makes it ${authority.role}`);
  }
  return authority;
}
