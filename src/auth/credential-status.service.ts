import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { ConnectionState } from '../connections/connection-lifecycle.js';
import type { ConnectionScope } from '../connections/connection-scope.js';
import type { Environment } from '../connections/environment.js';

/** What the gateway knows of a presented certificate and its connection, right now. */
export interface CredentialStatus {
  certificateId: string;
  connectionId: string;
  environment: Environment;
  revoked: boolean;
  notAfter: Date;
  connectionState: ConnectionState;
  suspensionReason: string | null;
  scope: ConnectionScope;
  /** The agreed go-live date (YYYY-MM-DD), once set: production opens on it. */
  goLiveDate: string | null;
}

/**
 * Looks certificates up in the register, with a cache of at most CACHE_MS. The short lifetime is
 * the point: a revocation or suspension made on any gateway instance takes effect on every other
 * one within a second, with one small query per certificate per second at most.
 */
@Injectable()
export class CredentialStatusService {
  static readonly CACHE_MS = 1000;
  private readonly cache = new Map<string, { at: number; status: CredentialStatus | null }>();
  /** Bumped by invalidate(): a lookup that started before a revocation must not cache its stale answer. */
  private generation = 0;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * The status if the cache holds a fresh one, without waiting (undefined otherwise: ask
   * byThumbprint). For the checks every call makes, so that they need no promise when it is known.
   */
  cached(thumbprintSha256: string): CredentialStatus | null | undefined {
    const hit = this.cache.get(thumbprintSha256);
    return hit && this.clock.nowMs() - hit.at < CredentialStatusService.CACHE_MS ? hit.status : undefined;
  }

  async byThumbprint(thumbprintSha256: string): Promise<CredentialStatus | null> {
    const hit = this.cached(thumbprintSha256);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT c.id AS "certificateId", c.connection_id AS "connectionId", c.environment, c.revoked_at AS "revokedAt",
              c.not_after AS "notAfter", k.state, k.suspension_reason AS "suspensionReason", k.scope,
              k.go_live_date AS "goLiveDate"
         FROM client_certificates c JOIN connections k ON k.id = c.connection_id
        WHERE c.thumbprint_sha256 = $1`,
      [thumbprintSha256],
    );
    const row = rows[0];
    const status: CredentialStatus | null = row
      ? {
          certificateId: row.certificateId as string,
          connectionId: row.connectionId as string,
          environment: row.environment as Environment,
          revoked: row.revokedAt !== null,
          notAfter: new Date(row.notAfter as string),
          connectionState: row.state as ConnectionState,
          suspensionReason: row.suspensionReason as string | null,
          scope: row.scope as ConnectionScope,
          goLiveDate: (row.goLiveDate as string | null) ?? null,
        }
      : null;
    if (generation === this.generation) this.cache.set(thumbprintSha256, { at: this.clock.nowMs(), status });
    return status;
  }

  /** Forget cached statuses (after a local revocation or suspension: effective at once here). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }
}
