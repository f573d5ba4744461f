import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../shared/errors/api-error.js';

/**
 * Browser sessions for the console (issue 13, part 2). Scripts keep `Authorization: Bearer`; a
 * browser asks for its session in a cookie instead, so that the token is never readable by the
 * page's JavaScript (HttpOnly): a script injected into the page could not carry it off.
 *
 * - The cookie is `__Host-` prefixed (Secure, Path=/, no Domain: no sibling host can set or
 *   shadow it), HttpOnly, SameSite=Strict (never sent on a request another site starts).
 * - CSRF: SameSite=Strict already keeps the cookie off cross-site requests; as a second, independent
 *   defence every unsafe method authenticated by the cookie must carry CSRF_HEADER. A cross-site
 *   HTML form cannot set a header, and a cross-origin fetch() that sets one needs a CORS preflight,
 *   which the control plane never grants (it sends no Access-Control-Allow-* at all).
 * - Idle expiry: the cookie's token lives CONTROL_SESSION_TTL_SECONDS and is re-issued (same
 *   session id, so signing out still ends it) while the person keeps working, up to
 *   CONSOLE_SESSION_MAX_SECONDS after the sign-in; an idle console's session simply expires.
 */
export const SESSION_COOKIE = '__Host-gateway-session';
/** Sent by the console on sign-in / enrolment: `X-Session-Delivery: cookie`. */
export const SESSION_DELIVERY_HEADER = 'x-session-delivery';
/** Required (any non-empty value) on POST/PUT/PATCH/DELETE authenticated by the cookie. */
export const CSRF_HEADER = 'x-csrf-protection';

export interface SessionCredential {
  token: string;
  via: 'bearer' | 'cookie';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session a request presents: the Bearer header first (scripts), else the console's cookie. */
export function sessionCredential(request: FastifyRequest): SessionCredential | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7), via: 'bearer' };
  const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return token ? { token, via: 'cookie' } : null;
}

/** Refuses an unsafe cookie-authenticated request that lacks the CSRF header. */
export function checkCsrf(request: FastifyRequest, credential: SessionCredential): void {
  if (credential.via !== 'cookie' || SAFE_METHODS.has(request.method)) return;
  if (!request.headers[CSRF_HEADER]) {
    throw ApiError.forbidden('CSRF_HEADER_MISSING', `A request authenticated by the session cookie must carry the ${CSRF_HEADER} header`);
  }
}

export function wantsCookieSession(request: FastifyRequest): boolean {
  return request.headers[SESSION_DELIVERY_HEADER] === 'cookie';
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.header('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`);
}

/**
 * A new session as the caller asked for it: a browser's goes into the HttpOnly cookie and its
 * token nowhere the page can read it; a script's is answered in the body.
 */
export function deliverSession<T extends { expiresIn: number }>(request: FastifyRequest, reply: FastifyReply, result: T): T | (Omit<T, 'accessToken'> & { tokenType: 'Cookie' }) {
  if (!('accessToken' in result) || typeof result.accessToken !== 'string' || !wantsCookieSession(request)) return result;
  const { accessToken, ...rest } = result as T & { accessToken: string };
  setSessionCookie(reply, accessToken, result.expiresIn);
  return { ...rest, tokenType: 'Cookie' as const };
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
