import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from '../config/gateway-config.js';
import { EMBEDDED_CONNECT_TIMEOUT_MS } from '../database/embedded-postgres.js';
import { prepareRuntime } from './runtime-setup.js';

describe('prepareRuntime', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-runtime-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a configured database as it is', async () => {
    const config = loadGatewayConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:5432/x' });
    await (await prepareRuntime(config))();
    expect(config).toMatchObject({ DATABASE_POOL_SIZE: 10, DATABASE_CONNECT_TIMEOUT_MS: 3000 });
  });

  it('serves from one embedded connection, whose queue may take longer than a server outage bound', async () => {
    const config = loadGatewayConfig({ DATA_DIR: dataDir });
    const stop = await prepareRuntime(config);
    try {
      expect(config.DATABASE_URL).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(config).toMatchObject({ DATABASE_POOL_SIZE: 1, DATABASE_CONNECT_TIMEOUT_MS: EMBEDDED_CONNECT_TIMEOUT_MS });
      expect(EMBEDDED_CONNECT_TIMEOUT_MS).toBeGreaterThan(3000);
    } finally {
      await stop();
    }
  }, 120_000); // PGlite starts on the CPU: slow on a loaded machine
});
