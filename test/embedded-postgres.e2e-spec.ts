import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { EMBEDDED_CONNECT_TIMEOUT_MS, EmbeddedPostgres } from '../src/shared/database/embedded-postgres.js';
import { dataSourceOptions } from '../src/shared/database/data-source.js';
import { PreparedStatement } from '../src/shared/database/prepared-statement.js';
import { loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import { prepareRuntime } from '../src/shared/runtime/runtime-setup.js';

/** `npm start` with no DATABASE_URL: PGlite over the wire protocol, migrated, kept on disk. */
describe('embedded PostgreSQL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-embedded-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withDatabase<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
    const server = await EmbeddedPostgres.start(dir, 4);
    const db = new DataSource({ ...dataSourceOptions(server.url, 3, EMBEDDED_CONNECT_TIMEOUT_MS), migrationsRun: true, logging: false });
    try {
      await db.initialize();
      return await work(db);
    } finally {
      await db.destroy();
      await server.stop();
    }
  }

  it('applies the migrations through the pg driver and keeps data across restarts', async () => {
    await withDatabase(async (db) => {
      await db.query(`INSERT INTO connections (name, owner_unit, state, scope) VALUES ('embedded', 'Bộ Nội vụ', 'TESTING', '{}')`);
      // Transactions roll back as on a real server.
      await expect(
        db.transaction(async (m) => {
          await m.query(`INSERT INTO connections (name, owner_unit, state, scope) VALUES ('rolled back', 'x', 'TESTING', '{}')`);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
    });
    const names = await withDatabase((db) => db.query('SELECT name FROM connections ORDER BY name'));
    expect(names).toEqual([{ name: 'embedded' }]);
    expect(EmbeddedPostgres.runningUrl(dir)).toBeUndefined();
  }, 120_000); // PGlite (PostgreSQL in WASM) starts on the CPU: slow on a loaded machine

  // PGlite serves every pool connection from one session: one statement name prepared by two
  // connections would fail with "prepared statement already exists".
  it('runs prepared statements from every pool connection at once', async () => {
    await withDatabase(async (db) => {
      const statement = new PreparedStatement<{ n: number }>(db, 'embedded_probe', 'SELECT $1::int + 1 AS n');
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => statement.rows([i])));
      expect(answers.map(([row]) => row.n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      // Pull pages copy their rows' bytes (raw-data-rows.ts): PGlite sends UTF-8 as PostgreSQL does.
      const raw = new PreparedStatement<never>(db, 'embedded_raw', 'SELECT $1::text AS t', { rowMode: 'array' });
      const texts: string[] = [];
      await raw.each(['Ủy ban nhân dân 😀'], (row) => {
        const copy = Buffer.alloc(row.byteLength(0));
        row.copy(0, copy, 0);
        texts.push(copy.toString('utf8'));
      });
      expect(texts).toEqual(['Ủy ban nhân dân 😀']);
    });
  }, 120_000); // PGlite (PostgreSQL in WASM) starts on the CPU: slow on a loaded machine

  // prepareRuntime on the folder the tests above made: PGlite's first start (initdb) costs ~15 s of
  // CPU here, which a spec of its own paid again only to read the settings below.
  it('serves from one embedded connection, whose queue may take longer than a server outage bound', async () => {
    const config = loadGatewayConfig({ DATA_DIR: dir });
    const stop = await prepareRuntime(config);
    try {
      expect(config.DATABASE_URL).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(config).toMatchObject({ DATABASE_POOL_SIZE: 1, DATABASE_CONNECT_TIMEOUT_MS: EMBEDDED_CONNECT_TIMEOUT_MS });
      expect(EMBEDDED_CONNECT_TIMEOUT_MS).toBeGreaterThan(3000);
      expect(EmbeddedPostgres.runningUrl(dir)).toBe(config.DATABASE_URL);
    } finally {
      await stop();
    }
    expect(EmbeddedPostgres.runningUrl(dir)).toBeUndefined();
  }, 120_000); // PGlite (PostgreSQL in WASM) starts on the CPU: slow on a loaded machine
});
