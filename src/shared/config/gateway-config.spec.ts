import { InvalidConfigError, loadGatewayConfig } from './gateway-config.js';

describe('gateway configuration', () => {
  it('starts with defaults when nothing is configured', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ DATA_PLANE_PORT: 8443, TOKEN_TTL_SECONDS: 600, DUE_SOON_DAYS: 7, ATTACHMENT_MAX_BYTES: 20 * 1024 * 1024 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses to start, naming every bad variable', () => {
    const attempt = () => loadGatewayConfig({ DATA_PLANE_PORT: 'eighty', TOKEN_TTL_SECONDS: '3600', DATABASE_URL: 'mysql://x' });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/DATA_PLANE_PORT="eighty"/);
    expect(attempt).toThrow(/TOKEN_TTL_SECONDS="3600": must be at most 900/);
    expect(attempt).toThrow(/DATABASE_URL="mysql:\/\/x": must be a postgres:\/\/ URL/);
  });

  it('refuses production with the dev CA or without a signing secret', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/TOKEN_SIGNING_SECRET: required in production/);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', TOKEN_SIGNING_SECRET: 'y'.repeat(40) })).toThrow(/dev CA in certs-dev/);
  });
});
