import { MigrationInterface, QueryRunner } from 'typeorm';
import { VIETNAM_PUBLIC_HOLIDAYS } from '../../../calendar/vietnam-public-holidays.js';

/** The working-calendar register, seeded with the public holidays and swaps of 2026–2027. */
export class WorkingCalendar1797100000000 implements MigrationInterface {
  name = 'WorkingCalendar1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "calendar_days" ("day" date NOT NULL, "kind" character varying(10) NOT NULL, "name" character varying(200) NOT NULL, "source" character varying(500) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" uuid, CONSTRAINT "PK_calendar_days_day" PRIMARY KEY ("day"))`);
    await queryRunner.query(`ALTER TABLE "calendar_days" ADD CONSTRAINT "CHK_calendar_days_kind" CHECK ("kind" IN ('HOLIDAY', 'WORKDAY'))`);
    for (const d of VIETNAM_PUBLIC_HOLIDAYS) {
      await queryRunner.query(`INSERT INTO "calendar_days" ("day", "kind", "name", "source") VALUES ($1, $2, $3, $4)`, [d.day, d.kind, d.name, d.source]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar_days"`);
  }
}
