import { MigrationInterface, QueryRunner } from 'typeorm';
import { UnitRegister } from '../../../units/unit-register.js';
import { SEEDED_UNITS } from '../../../units/unit-register-seed.js';

/**
 * The unit register (units, unit_events), seeded with the central bodies and the provincial-level
 * units before and since 1 July 2025; unit codes beside the names on task and KPI results.
 * Records and connection scopes written before the register get their codes where the shipped
 * register resolves their names; a name it does not know keeps a null code (such a record is seen
 * only by readers of every unit until the DTD adds the unit and the record is pushed again).
 */
export class UnitRegister1797900000001 implements MigrationInterface {
  name = 'UnitRegister1797900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "unit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_code" character varying(32) NOT NULL, "action" character varying(16) NOT NULL, "actor_id" uuid, "actor_name" character varying(200) NOT NULL, "source" character varying(500) NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_unit_events_id" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_unit_events_unit" ON "unit_events" ("unit_code", "occurred_at")`);
    await queryRunner.query(`CREATE TABLE "units" ("code" character varying(32) NOT NULL, "name" character varying(300) NOT NULL, "short_name" character varying(300) NOT NULL, "kind" character varying(32) NOT NULL, "parent_code" character varying(32), "valid_from" date, "valid_to" date, "successor_code" character varying(32), "former_names" text array NOT NULL DEFAULT '{}', "source" character varying(500) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" uuid, CONSTRAINT "CHK_units_kind" CHECK ("kind" IN ('PARTY_COMMITTEE_UNDER_CC', 'CENTRAL_PARTY_BODY', 'MINISTRY_OR_CENTRAL_AGENCY', 'PROVINCE', 'COMMUNE')), CONSTRAINT "PK_units_code" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "IDX_units_successor" ON "units" ("successor_code")`);
    await queryRunner.query(`ALTER TABLE "kpi_results" ADD "reporting_agency_code" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "task_results" ADD "lead_unit_code" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "task_results" ADD "coordinating_unit_codes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "IDX_kpi_results_reporting_agency_code" ON "kpi_results" ("environment", "reporting_agency_code")`);
    await queryRunner.query(`CREATE INDEX "IDX_task_results_lead_unit_code" ON "task_results" ("environment", "lead_unit_code")`);

    await queryRunner.query(
      `INSERT INTO "units" ("code", "name", "short_name", "kind", "parent_code", "valid_from", "valid_to", "successor_code", "former_names", "source")
       SELECT code, name, "shortName", kind, "parentCode", "validFrom", "validTo", "successorCode", ARRAY(SELECT jsonb_array_elements_text("formerNames")), source
         FROM jsonb_to_recordset($1::jsonb) AS u(code text, name text, "shortName" text, kind text, "parentCode" text, "validFrom" date, "validTo" date, "successorCode" text, "formerNames" jsonb, source text)`,
      [JSON.stringify(SEEDED_UNITS.map((u) => ({ ...u, name: u.name.normalize('NFC'), shortName: u.shortName.normalize('NFC') })))],
    );
    await this.backfill(queryRunner, new UnitRegister(SEEDED_UNITS));
  }

  /** Codes for what was written before the register: by name, through the shipped register. */
  private async backfill(queryRunner: QueryRunner, register: UnitRegister): Promise<void> {
    const codeOf = (name: string) => {
      const resolved = register.resolve(name);
      return resolved.unit?.code ?? null;
    };
    const names: Array<{ name: string }> = await queryRunner.query(
      `SELECT lead_unit AS name FROM task_results UNION SELECT unnest(coordinating_units) FROM task_results UNION SELECT reporting_agency FROM kpi_results`,
    );
    const mapping = JSON.stringify(names.map(({ name }) => ({ name, code: codeOf(name) })).filter((m) => m.code));
    await queryRunner.query(`UPDATE task_results t SET lead_unit_code = m.code FROM jsonb_to_recordset($1::jsonb) AS m(name text, code text) WHERE t.lead_unit = m.name`, [mapping]);
    await queryRunner.query(`UPDATE kpi_results k SET reporting_agency_code = m.code FROM jsonb_to_recordset($1::jsonb) AS m(name text, code text) WHERE k.reporting_agency = m.name`, [mapping]);
    // All or nothing per record: the codes run parallel to the names.
    await queryRunner.query(
      `UPDATE task_results t SET coordinating_unit_codes = c.codes
         FROM (SELECT t2.environment, t2.task_code, array_agg(m.code ORDER BY u.ord) AS codes, bool_and(m.code IS NOT NULL) AS complete
                 FROM task_results t2, unnest(t2.coordinating_units) WITH ORDINALITY AS u(name, ord)
                 LEFT JOIN jsonb_to_recordset($1::jsonb) AS m(name text, code text) ON m.name = u.name
                GROUP BY t2.environment, t2.task_code) c
        WHERE t.environment = c.environment AND t.task_code = c.task_code AND c.complete`,
      [mapping],
    );
    const connections: Array<{ id: string; scope: { writeUnits?: string[]; readUnits?: string[] } }> = await queryRunner.query(`SELECT id, scope FROM connections`);
    for (const { id, scope } of connections) {
      const recode = (units: string[] | undefined) => units?.map((u) => (u === '*' ? u : (codeOf(u) ?? u)));
      const updated = { ...scope, writeUnits: recode(scope.writeUnits), readUnits: recode(scope.readUnits) };
      await queryRunner.query(`UPDATE connections SET scope = $2::jsonb WHERE id = $1`, [id, JSON.stringify(updated)]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_task_results_lead_unit_code"`);
    await queryRunner.query(`DROP INDEX "IDX_kpi_results_reporting_agency_code"`);
    await queryRunner.query(`ALTER TABLE "task_results" DROP COLUMN "coordinating_unit_codes"`);
    await queryRunner.query(`ALTER TABLE "task_results" DROP COLUMN "lead_unit_code"`);
    await queryRunner.query(`ALTER TABLE "kpi_results" DROP COLUMN "reporting_agency_code"`);
    await queryRunner.query(`DROP TABLE "units"`);
    await queryRunner.query(`DROP TABLE "unit_events"`);
  }
}
