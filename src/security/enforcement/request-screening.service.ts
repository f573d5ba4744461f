import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientCertificateOf } from '../../auth/client-certificate.js';
import { assertUsable } from '../../auth/credential-checks.js';
import { CredentialStatus, CredentialStatusService } from '../../auth/credential-status.service.js';
import { ConnectionState } from '../../connections/connection-lifecycle.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { AnomalyDetectorService } from './anomaly-detector.service.js';
import type { RequestEvidence } from '../incidents/evidence.js';
import { scanBody, scanHeaders, scanUrl, type SignatureMatch } from './input-screening.js';
import { recordScreenedItems } from './screened-items.js';
import { routeScreeningOf } from './screening-policy.js';
import { sourceAllowed } from './source-address.js';

/**
 * Screens a call before any guard or handler runs (Fastify hooks): the source address against
 * the agreement, and the path, query and body against attack probes (input-screening.ts says
 * which inputs are judged and how; free-text fields a route declares are data, not probes).
 *
 * The connection is known from the client certificate alone (one certificate, one connection;
 * its status is already cached by the TLS handshake check), so the source check needs no token
 * and covers every route, the token endpoint and unknown paths included.
 */
@Injectable()
export class RequestScreeningService {
  constructor(
    private readonly credentials: CredentialStatusService,
    private readonly detector: AnomalyDetectorService,
  ) {}

  /**
   * onRequest: source address, then URL and header probes. The refusal to send, if any; null at once (no
   * promise) when the certificate's status is cached and the call is clean, as nearly every call is.
   */
  screenRequest(request: FastifyRequest): Promise<ApiError | null> | null {
    const certificate = clientCertificateOf(request);
    const cached = certificate ? this.credentials.cached(certificate.thumbprintSha256) : null;
    if (cached !== undefined) return this.screenRequestOf(request, usable(cached));
    return this.statusOf(request).then((status) => this.screenRequestOf(request, status));
  }

  private screenRequestOf(request: FastifyRequest, status: CredentialStatus | null): Promise<ApiError | null> | null {
    if (!status || status.connectionState === ConnectionState.SUSPENDED) return null; // refused by the guards
    if (!sourceAllowed(request.ip, status.scope.allowedSourceAddresses)) return this.unknownSource(request, status);
    const match = scanUrl(request.url, routeScreeningOf(request)) ?? scanHeaders(request.headers);
    return match ? this.probe(request, status, match) : null;
  }

  private async unknownSource(request: FastifyRequest, status: CredentialStatus): Promise<ApiError> {
    await this.detector.unknownSource(status.connectionId, this.evidence(request, status, `source ${request.ip} not in the agreement`));
    return this.refusalAfterTrip(request);
  }

  /** preHandler: body probes (parsed JSON or form bodies; raw evidence files are not scanned). */
  async screenBody(request: FastifyRequest): Promise<ApiError | null> {
    const items = (request.body as { items?: unknown } | undefined)?.items;
    const freeText = routeScreeningOf(request).freeTextBody;
    if (request.routeOptions.url?.endsWith('/batch') && Array.isArray(items)) return this.screenBatch(request, items, freeText);
    const match = scanBody(request.body, freeText);
    if (!match) return null;
    const status = await this.statusOf(request);
    if (!status || status.connectionState === ConnectionState.SUSPENDED) return null;
    return this.probe(request, status, match);
  }

  /**
   * A batch is screened item by item: one item with an attack pattern is rejected on its own and
   * never blocks the good ones (CONTRACT.md). It still counts as one probe for the detector.
   */
  private async screenBatch(request: FastifyRequest, items: unknown[], freeText: ReadonlySet<string>): Promise<ApiError | null> {
    const screened = new Map<number, { field: string; problem: string }>();
    let first: SignatureMatch | undefined;
    items.forEach((item, index) => {
      const match = scanBody(item, freeText);
      if (!match) return;
      screened.set(index, { field: match.field, problem: match.problem });
      first ??= { ...match, where: `body.items[${index}]${match.where.slice('body'.length)}` };
    });
    if (!first) return null;
    recordScreenedItems(request, screened); // handed to the batch handler (@ScreenedBatchItems())
    const status = await this.statusOf(request);
    if (!status || status.connectionState === ConnectionState.SUSPENDED) return null;
    const tripped = await this.detector.attackProbe(status.connectionId, this.probeEvidence(request, status, first));
    return tripped ? this.refusalAfterTrip(request) : null;
  }

  private async probe(request: FastifyRequest, status: CredentialStatus, match: SignatureMatch): Promise<ApiError> {
    const tripped = await this.detector.attackProbe(status.connectionId, this.probeEvidence(request, status, match));
    if (tripped) return this.refusalAfterTrip(request);
    return ApiError.badRequest('The request carries a pattern used in attacks and was refused', [{ field: match.field, problem: match.problem }], 'SUSPICIOUS_INPUT');
  }

  /** What tripped the screen, with the input itself (truncated), so an officer can judge it. */
  private probeEvidence(request: FastifyRequest, status: CredentialStatus, match: SignatureMatch): RequestEvidence {
    return { ...this.evidence(request, status, `${match.kind} in ${match.where}: ${match.problem}`), input: match.input };
  }

  /** After a suspension the caller gets what every suspended connection gets: 403 CONNECTION_SUSPENDED. */
  private async refusalAfterTrip(request: FastifyRequest): Promise<ApiError> {
    try {
      assertUsable(await this.statusOf(request));
    } catch (error) {
      if (error instanceof ApiError) return error;
    }
    return ApiError.forbidden('SOURCE_OR_INPUT_REFUSED', 'The call was refused by the gateway\'s security checks');
  }

  /** The certificate's status; null for an unknown or revoked certificate (the handshake refuses those). */
  private async statusOf(request: FastifyRequest): Promise<CredentialStatus | null> {
    const certificate = clientCertificateOf(request);
    if (!certificate) return null;
    return usable(await this.credentials.byThumbprint(certificate.thumbprintSha256));
  }

  private evidence(request: FastifyRequest, status: CredentialStatus, detail: string): RequestEvidence {
    return {
      requestId: String(request.id),
      at: new Date().toISOString(),
      method: request.method,
      path: request.url.slice(0, 1000),
      status: null,
      errorCode: null,
      sourceAddress: request.ip,
      certificateThumbprint: clientCertificateOf(request)?.thumbprintSha256 ?? null,
      detail: `${detail} (connection was ${status.connectionState})`,
    };
  }
}

/** A status screening acts on: none for an unknown or revoked certificate (the handshake refuses those). */
function usable(status: CredentialStatus | null): CredentialStatus | null {
  return status && !status.revoked ? status : null;
}
