import { MigrationInterface, QueryRunner } from "typeorm";

/** Pull cursors follow change_seq alone now that writers of a data set are serialised (pull-cursor.ts). Generated. */

export class ChangeFeedOrder1795900000000 implements MigrationInterface {
    name = 'ChangeFeedOrder1795900000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."kpi_results_change_feed"`);
        await queryRunner.query(`DROP INDEX "public"."task_results_change_feed"`);
        await queryRunner.query(`CREATE INDEX "kpi_results_change_feed" ON "kpi_results"  ("environment", "change_seq") `);
        await queryRunner.query(`CREATE INDEX "task_results_change_feed" ON "task_results"  ("environment", "change_seq") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."task_results_change_feed"`);
        await queryRunner.query(`DROP INDEX "public"."kpi_results_change_feed"`);
        await queryRunner.query(`CREATE INDEX "task_results_change_feed" ON "task_results" ("environment", "change_txid", "change_seq") `);
        await queryRunner.query(`CREATE INDEX "kpi_results_change_feed" ON "kpi_results" ("environment", "change_txid", "change_seq") `);
    }

}
