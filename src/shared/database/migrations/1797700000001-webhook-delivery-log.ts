import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Webhook deliveries a unit can follow: when each was last tried and when it was given up, and,
 * per webhook, the run of failed attempts that puts a notice in the unit's inbox. The index lets
 * a unit's delivery log be read from its notifications. Generated from the entities.
 */
export class WebhookDeliveryLog1797700000001 implements MigrationInterface {
    name = 'WebhookDeliveryLog1797700000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "unit_webhooks" ADD "consecutive_failures" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "unit_webhooks" ADD "failing_since" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "unit_webhooks" ADD "failure_notified_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD "gave_up_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "IDX_b595a77db5d4504c875d290522" ON "webhook_deliveries"  ("notification_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_b595a77db5d4504c875d290522"`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "gave_up_at"`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "last_attempt_at"`);
        await queryRunner.query(`ALTER TABLE "unit_webhooks" DROP COLUMN "failure_notified_at"`);
        await queryRunner.query(`ALTER TABLE "unit_webhooks" DROP COLUMN "failing_since"`);
        await queryRunner.query(`ALTER TABLE "unit_webhooks" DROP COLUMN "consecutive_failures"`);
    }
}
