import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `periodic_reports`: the reports the gateway produced on its own schedule (src/reports), kept
 * as generated so that the copy in the DTD's inbox does not change when later data arrive. One
 * scheduled report per period: the unique index is what makes several instances, each running
 * the schedule, put one report (and one notice) in the inbox.
 */
export class PeriodicReports1797800000001 implements MigrationInterface {
    name = 'PeriodicReports1797800000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "periodic_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period" character varying(32) NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "scheduled" boolean NOT NULL, "content" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "periodic_reports_pkey" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "periodic_reports_scheduled_period" ON "periodic_reports" ("period") WHERE scheduled`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."periodic_reports_scheduled_period"`);
        await queryRunner.query(`DROP TABLE "periodic_reports"`);
    }
}
