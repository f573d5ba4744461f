import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';

/** Who writes (the caller's connection and authority) and the request that carries the write. */
export interface WriteContext {
  principal: DataPlanePrincipal;
  requestId: string;
}
