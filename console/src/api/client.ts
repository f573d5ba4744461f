import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type ApiErrorBody = components['schemas']['ApiErrorBody'] & { code?: string; messageVi?: string };

/** A refused or failed call, with the gateway's error body (its `messageVi` is what people read). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiErrorBody>,
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
  get code(): string | undefined {
    return this.body.code;
  }
}

/**
 * The typed client, from the committed control-plane OpenAPI document (`npm run console:client`).
 * Same origin: the session is the HttpOnly cookie, which the page never sees. Every request carries
 * the CSRF header the control plane requires of cookie-authenticated writes, and asks for the
 * session to be delivered as that cookie (sign-in, enrolment).
 */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use({
  onRequest({ request }) {
    request.headers.set('X-CSRF-Protection', '1');
    request.headers.set('X-Session-Delivery', 'cookie');
    return request;
  },
});

type Listener = (failure: ApiFailure) => void;
const sessionListeners = new Set<Listener>();
/** Called when a call answers 401 with a SESSION_* code: the session expired, ended or was revoked. */
export function onSessionLost(listener: Listener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/**
 * Unwraps an openapi-fetch result: the body, or an ApiFailure. The document does not describe
 * every success body yet (issue 13, part 1), so the caller names the type it reads.
 */
export async function call<T = unknown>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const failure = new ApiFailure(response.status, (error ?? {}) as Partial<ApiErrorBody>);
    if (response.status === 401 && failure.code?.startsWith('SESSION_')) sessionListeners.forEach((l) => l(failure));
    throw failure;
  }
  return data as T;
}
