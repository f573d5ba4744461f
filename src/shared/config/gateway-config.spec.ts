import { GatewayConfig, InvalidConfigError, loadGatewayConfig } from './gateway-config.js';

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

  it('refuses an unknown TIMEZONE at start-up, not on the first pull', () => {
    expect(() => loadGatewayConfig({ TIMEZONE: 'Asia/Hanoi' })).toThrow(/TIMEZONE="Asia\/Hanoi": must be an IANA time zone/);
    expect(loadGatewayConfig({ TIMEZONE: 'Asia/Bangkok' }).TIMEZONE).toBe('Asia/Bangkok');
  });

  it('takes an owner role for migrations only beside a runtime DATABASE_URL', () => {
    const owner = 'postgres://owner@db:5432/gateway';
    expect(loadGatewayConfig({ DATABASE_URL: 'postgres://gateway_app@db:5432/gateway', DATABASE_MIGRATION_URL: owner }).DATABASE_MIGRATION_URL).toBe(owner);
    expect(() => loadGatewayConfig({ DATABASE_MIGRATION_URL: owner })).toThrow(/DATABASE_MIGRATION_URL: needs DATABASE_URL/);
    expect(() => loadGatewayConfig({ DATABASE_URL: owner, DATABASE_MIGRATION_URL: 'owner@db' })).toThrow(/DATABASE_MIGRATION_URL="owner@db": must be a postgres:\/\/ URL/);
  });

  it('serves with several processes only with a shared Redis and an external database', () => {
    const db = 'postgres://gateway_app@db:5432/gateway';
    expect(loadGatewayConfig({}).WORKERS).toBe(1);
    expect(loadGatewayConfig({ WORKERS: '2', DATABASE_URL: db, REDIS_URL: 'redis://r:6379' }).WORKERS).toBe(2);
    expect(() => loadGatewayConfig({ WORKERS: '2', DATABASE_URL: db })).toThrow(/WORKERS: above 1 needs REDIS_URL/);
    expect(() => loadGatewayConfig({ WORKERS: '2', REDIS_URL: 'redis://r:6379' })).toThrow(/WORKERS: above 1 needs DATABASE_URL/);
    expect(() => loadGatewayConfig({ WORKERS: '0' })).toThrow(/WORKERS="0"/);
  });

  it('refuses a webhook CA file it cannot read as certificates', () => {
    expect(() => loadGatewayConfig({ WEBHOOK_CA_CERT: '/nonexistent/ca.pem' })).toThrow(/WEBHOOK_CA_CERT="\/nonexistent\/ca.pem": must be a readable PEM file/);
    expect(loadGatewayConfig({ WEBHOOK_CA_CERT: 'certs-dev/ca/ca.crt.pem' }).WEBHOOK_CA_CERT).toBe('certs-dev/ca/ca.crt.pem');
  });

  it('refuses production with the dev CA or without a signing secret', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/TOKEN_SIGNING_SECRET: required in production/);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', TOKEN_SIGNING_SECRET: 'y'.repeat(40) })).toThrow(/dev CA in certs-dev/);
  });

  it('takes the load balancers allowed to send a PROXY header as addresses or CIDR blocks, and refuses look-alikes', () => {
    expect(loadGatewayConfig({}).PROXY_PROTOCOL_FROM).toBeUndefined();
    expect(loadGatewayConfig({ PROXY_PROTOCOL_FROM: '10.0.0.5, 10.1.0.0/16,2001:db8::/32' }).PROXY_PROTOCOL_FROM).toBe('10.0.0.5, 10.1.0.0/16,2001:db8::/32');
    expect(() => loadGatewayConfig({ PROXY_PROTOCOL_FROM: 'lb.example' })).toThrow(/PROXY_PROTOCOL_FROM="lb.example": must be comma-separated IP addresses or CIDR blocks/);
    expect(() => loadGatewayConfig({ PROXY_PROTOCOL_FROM: '10.0.0.5,999.1.1.1,10.0.0.0/40' })).toThrow(/PROXY_PROTOCOL_FROM: not an IP address or CIDR block: 999.1.1.1, 10.0.0.0\/40/);
    expect(() => loadGatewayConfig({ CONTROL_PLANE_TRUSTED_PROXIES: '300.0.0.1' })).toThrow(/CONTROL_PLANE_TRUSTED_PROXIES: not an IP address or CIDR block: 300.0.0.1/);
  });

  it('keeps transport limits of seconds by default, and refuses ones Node would not start with', () => {
    expect(loadGatewayConfig({})).toMatchObject({ TLS_HANDSHAKE_TIMEOUT_MS: 5000, HTTP_HEADERS_TIMEOUT_MS: 10_000, MAX_CONNECTIONS_PER_ADDRESS: 100, MAX_CONNECTIONS: 2000 });
    expect(() => loadGatewayConfig({ HTTP_HEADERS_TIMEOUT_MS: '30000', HTTP_REQUEST_TIMEOUT_MS: '20000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/);
    expect(() => loadGatewayConfig({ MAX_CONNECTIONS_PER_ADDRESS: '500', MAX_CONNECTIONS: '100' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS: must not exceed MAX_CONNECTIONS/);
    expect(() => loadGatewayConfig({ TLS_HANDSHAKE_TIMEOUT_MS: '120000' })).toThrow(/TLS_HANDSHAKE_TIMEOUT_MS="120000": must not be greater than 60000/);
    expect(() => loadGatewayConfig({ DATABASE_CONNECT_TIMEOUT_MS: '10' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS="10": must not be less than 100/);
  });
});

describe('gateway configuration parts', () => {
  it('validates the variables of every part (one from each area here), in the one refusal message', () => {
    const attempt = () =>
      loadGatewayConfig({
        MAX_CONNECTIONS: '0', // transport
        REDIS_URL: 'http://redis', // storage
        PASSWORD_HISTORY: '99', // access
        ANOMALY_SPIKE_FACTOR: 'x', // security
        CLASSIFIED_RECORDS: 'maybe', // exchange
        LOG_LEVEL: 'loud', // operations
      });
    expect(attempt).toThrow(InvalidConfigError);
    for (const name of ['MAX_CONNECTIONS="0"', 'REDIS_URL="http://redis"', 'PASSWORD_HISTORY="99"', 'ANOMALY_SPIKE_FACTOR="x"', 'CLASSIFIED_RECORDS="maybe"', 'LOG_LEVEL="loud"']) {
      expect(attempt).toThrow(name);
    }
  });

  it('converts and defaults the variables of every part', () => {
    const config = loadGatewayConfig({ CONTROL_PLANE_PORT: '9000', DATABASE_POOL_SIZE: '3', DATABASE_CONNECT_TIMEOUT_MS: '5000', TOKEN_TTL_SECONDS: '120', QUOTA_READS_PER_MINUTE: '7', DUE_SOON_DAYS: '2', OPS_PORT: '0' });
    expect(config).toMatchObject({ CONTROL_PLANE_PORT: 9000, DATABASE_POOL_SIZE: 3, DATABASE_CONNECT_TIMEOUT_MS: 5000, TOKEN_TTL_SECONDS: 120, QUOTA_READS_PER_MINUTE: 7, DUE_SOON_DAYS: 2, OPS_PORT: 0 });
    expect(config).toMatchObject({ HOST: '127.0.0.1', REDIS_KEY_PREFIX: 'gateway:', PASSWORD_MAX_AGE_DAYS: 90, ANOMALY_ATTACK_PROBES: 3, TIMEZONE: 'Asia/Ho_Chi_Minh', NODE_ENV: 'development' });
    expect(config).toBeInstanceOf(GatewayConfig);
  });
});
