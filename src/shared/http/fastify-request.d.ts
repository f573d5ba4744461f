import 'fastify';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import type { ClientCertificate } from '../../auth/client-certificate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified peer certificate of the mTLS connection (data plane). */
    clientCertificate?: ClientCertificate;
    /** Set by CertificateBoundTokenGuard once token and certificate agree. */
    principal?: DataPlanePrincipal;
    /** The error code of a refused call, for the audit entry. */
    errorCode?: string;
  }
}
