import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from '../config/gateway-config.js';
import { prepareRuntime } from './runtime-setup.js';

/** With the embedded database, see test/embedded-postgres.e2e-spec.ts (it starts one already). */
describe('prepareRuntime', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-runtime-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a configured database as it is', async () => {
    const config = loadGatewayConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:5432/x' });
    await (await prepareRuntime(config))();
    expect(config).toMatchObject({ DATABASE_POOL_SIZE: 10, DATABASE_CONNECT_TIMEOUT_MS: 3000 });
  });
});
