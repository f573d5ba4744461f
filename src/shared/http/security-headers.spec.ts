import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { securityHeaders } from './security-headers.js';

/** A response that keeps its headers in a map, as Node's does. */
function response(initial: Record<string, string> = {}) {
  const headers = new Map(Object.entries(initial));
  return {
    headers,
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
}

describe('securityHeaders', () => {
  // The options both planes use: the data plane's (no CSP) and the control plane's (helmet's default).
  it.each<[string, HelmetOptions]>([
    ['data plane', { contentSecurityPolicy: false }],
    ['control plane', {}],
  ])('replays exactly what helmet sets and removes on a %s response', (_plane, options) => {
    const live = response({ 'x-powered-by': 'something' });
    helmet(options)({} as IncomingMessage, live as unknown as ServerResponse, () => undefined);
    const replayed = response({ 'x-powered-by': 'something' });
    securityHeaders(options)(replayed as unknown as ServerResponse);
    expect(Object.fromEntries(replayed.headers)).toEqual(Object.fromEntries(live.headers));
    expect(replayed.headers.has('x-powered-by')).toBe(false);
    expect(replayed.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sets every header by its lower-case name, the key Node files it under', () => {
    const names: string[] = [];
    securityHeaders({})({ setHeader: (name: string) => names.push(name), removeHeader: () => undefined } as unknown as ServerResponse);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => name !== name.toLowerCase())).toEqual([]);
  });

  it('refuses a content security policy computed per request', () => {
    const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as unknown as { locals: { nonce: string } }).locals.nonce}'`;
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", nonce] } } })).toThrow(/computed per request/);
  });
});
