import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';

/**
 * The signature a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<delivery id>.<body>">`
 * with the unit's secret. The timestamp is signed so that a receiver can refuse a captured delivery
 * replayed later (e.g. older than five minutes), as Stripe's scheme does; the delivery id so that a
 * replay cannot pass the receiver's duplicate check under a new id.
 */
export function webhookSignature(secret: string, deliveryId: string, body: string, timestamp: number): string {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** A lookup that answers every name with the one address vetted beforehand. */
export function pinnedLookup(address: string): LookupFunction {
  const family = address.includes(':') ? 6 : 4;
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * POSTs a JSON body; resolves with the status as soon as the status line arrives (the receiver's
 * body is not read), or rejects on a network error or once `timeoutMs` has passed in all: a
 * receiver that trickles bytes cannot hold a delivery (and the dispatcher behind it) open. With
 * `address`, connects to that address whatever the name resolves to now (TLS still checks the
 * certificate against the URL's host name). `extraCa` is trusted besides the public roots
 * (WEBHOOK_CA_CERT). Redirects are not followed.
 */
export function postJson(url: URL, body: string, headers: Record<string, string>, address: string | null, timeoutMs: number, extraCa?: string): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        // A connection of its own: a pooled socket is keyed by host name and may have been opened
        // to another address, before the check that vetted this one.
        agent: false,
        ...(address ? { lookup: pinnedLookup(address) } : {}),
        ...(extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}),
      },
      (response) => {
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host name does not resolve',
  EAI_AGAIN: 'host name does not resolve (temporary)',
};

/**
 * What a unit is told about a failed attempt. Node's messages name the address it connected to
 * ("connect ECONNREFUSED 10.1.2.3:443"); the unit sees the kind of failure, never an address.
 */
export function describeDeliveryError(error: Error & { code?: string }): string {
  if (error.code && NETWORK_ERRORS[error.code]) return NETWORK_ERRORS[error.code];
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT') || error.code?.startsWith('DEPTH_ZERO') || error.code?.startsWith('SELF_SIGNED')) {
    return `TLS failed: ${error.code}`;
  }
  if (/^no answer within \d+ ms$/.test(error.message)) return error.message;
  return error.code ? `network error ${error.code}` : 'network error';
}
