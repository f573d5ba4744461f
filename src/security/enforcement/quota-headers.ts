import type { FastifyReply } from 'fastify';
import { ApiError } from '../../shared/errors/api-error.js';
import type { QuotaVerdict } from './quota.service.js';

/**
 * Sets the RateLimit-* headers of CONTRACT.md (IETF draft-ietf-httpapi-ratelimit-headers) and,
 * when the call is refused, throws the 429 in the gateway's error shape with Retry-After.
 */
export function applyQuotaVerdict(reply: FastifyReply, verdict: QuotaVerdict | null, what: string): void {
  if (!verdict) return;
  reply.header('RateLimit-Limit', String(verdict.limit));
  reply.header('RateLimit-Remaining', String(verdict.remaining));
  reply.header('RateLimit-Reset', String(verdict.resetSeconds));
  if (verdict.allowed) return;
  const error = new ApiError(
    429,
    'QUOTA_EXCEEDED',
    `Over the ${verdict.window === 'minute' ? 'per-minute' : 'daily'} quota of ${verdict.limit} ${what}; retry after ${verdict.resetSeconds} s`,
  );
  error.retryAfterSeconds = verdict.resetSeconds;
  throw error;
}
