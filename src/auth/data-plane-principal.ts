import type { ConnectionScope } from '../connections/connection-scope.js';
import type { Environment } from '../connections/environment.js';

/** Who is calling the data plane: set by CertificateBoundTokenGuard once token and certificate agree. */
export interface DataPlanePrincipal {
  connectionId: string;
  environment: Environment;
  certificateThumbprint: string;
  scope: ConnectionScope;
}
