import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/shared/database/data-source.js';
import { KpiKeyAgency1798300000001 } from '../src/shared/database/migrations/1798300000001-kpi-key-agency.js';
import { MIGRATIONS } from '../src/shared/database/migrations/index.js';
import { testDatabaseUrl } from './support/test-database.js';

const CONNECTION = '00000000-0000-4000-8000-000000000001';

/**
 * The KPI key migration (issue 14.5) keeps what was stored valid: every record keeps its content
 * and version, one stored before the register without an agency code keeps being readable as null,
 * versions follow their record's new key, and the table then takes two agencies' records at one
 * indicator and period.
 */
describe('migration: the reporting agency joins the KPI key', () => {
  it('keeps existing records and versions valid', async () => {
    const url = new URL(testDatabaseUrl());
    const name = `${url.pathname.slice(1)}_kpikey`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    url.pathname = `/${name}`;
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(KpiKeyAgency1798300000001));
    const db = new DataSource({ ...dataSourceOptions(url.toString(), 2), migrations: before, logging: false });
    try {
      await db.initialize();
      await db.runMigrations();
      const row = (code: string | null, indicator: string) =>
        db.query(
          `INSERT INTO kpi_results (environment, indicator_code, period, period_type, indicator_group, indicator_name, unit, reporting_agency, reporting_agency_code, period_result,
                                    classification, version, content_hash, updated_at, change_txid, change_seq, updated_by_connection, updated_by_request)
           VALUES ('test', $1, '2026-Q2', 'QUARTER', 'A', 'Chỉ số', '%', $2, $3, '1', 'UNCLASSIFIED', 3, repeat('0', 64), now(), 1, nextval('kpi_results_change_seq'), $4, $4)`,
          [indicator, code ? 'Bộ Tài chính' : 'Cơ quan chưa có trong danh mục', code, CONNECTION],
        );
      await row('GW-BTC', 'K.1');
      await row(null, 'K.2');
      for (const key of ['K.1/2026-Q2', 'K.2/2026-Q2']) {
        await db.query(
          `INSERT INTO record_versions (data_set, environment, record_key, version, change, body, connection_id, certificate_thumbprint, request_id, recorded_at)
           VALUES ('kpi-results', 'test', $1, 3, 'write', '{}', $2, 'x', $2, now())`,
          [key, CONNECTION],
        );
      }

      const runner = db.createQueryRunner();
      try {
        await new KpiKeyAgency1798300000001().up(runner);
      } finally {
        await runner.release();
      }

      const rows = await db.query(`SELECT indicator_code, reporting_agency_code, version FROM kpi_results ORDER BY 1`);
      expect(rows).toEqual([
        { indicator_code: 'K.1', reporting_agency_code: 'GW-BTC', version: 3 },
        { indicator_code: 'K.2', reporting_agency_code: '', version: 3 },
      ]);
      const versions = await db.query(`SELECT record_key FROM record_versions ORDER BY 1`);
      expect(versions.map((v: { record_key: string }) => v.record_key)).toEqual(['K.1/2026-Q2/GW-BTC', 'K.2/2026-Q2/']);
      // Another agency's record at the same indicator and period is now a record of its own.
      await row('GW-BTP', 'K.1');
      expect((await db.query(`SELECT count(*)::int AS n FROM kpi_results WHERE indicator_code = 'K.1'`))[0].n).toBe(2);
      // Its only refusal: a second record of the same agency.
      await expect(row('GW-BTC', 'K.1')).rejects.toThrow(/duplicate key/);
    } finally {
      await db.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 90_000);
});
