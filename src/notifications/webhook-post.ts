import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * The signature a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with
 * the unit's secret. The timestamp is signed with the body so that a receiver can refuse a
 * captured delivery replayed later (e.g. older than five minutes), as Stripe's scheme does.
 */
export function webhookSignature(secret: string, body: string, timestamp: number): string {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
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
 * POSTs a JSON body; resolves with the status, or rejects on a network error or after
 * `timeoutMs`. With `address`, connects to that address whatever the name resolves to now (TLS
 * still checks the certificate against the URL's host name). Redirects are not followed.
 */
export function postJson(url: URL, body: string, headers: Record<string, string>, address: string | null, timeoutMs: number): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
        // A connection of its own: a pooled socket is keyed by host name and may have been opened
        // to another address, before the check that vetted this one.
        agent: false,
        ...(address ? { lookup: pinnedLookup(address) } : {}),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
