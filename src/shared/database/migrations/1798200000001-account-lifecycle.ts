import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Accounts over their whole life (issue 16, accounts):
 * - the holder's identity (footnote 6): position, phone, e-mail, and the citizen ID number stored
 *   encrypted (AES-256-GCM) beside a masked copy for display;
 * - deactivation when a person leaves or changes post (III.2.b), the record kept;
 * - password rotation: when the password was set, and the hashes of the previous ones;
 * - the second factor chosen per account, or per role (`role_sign_in_policies`), and the
 *   thumbprint of a registered sign-in certificate;
 * - who revoked a delegation.
 */
export class AccountLifecycle1798200000001 implements MigrationInterface {
    name = 'AccountLifecycle1798200000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "accounts" ADD "position" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "phone" character varying(30)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "email" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "citizen_id_encrypted" text`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "citizen_id_masked" character varying(12)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "deactivated_at" TIMESTAMP WITH TIME ZONE`);
        // Existing passwords count from the upgrade: nobody is forced to change on the first day.
        await queryRunner.query(`ALTER TABLE "accounts" ADD "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "password_history" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "second_factor" character varying(24)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "sign_in_certificate_thumbprint" character(64)`);
        await queryRunner.query(`ALTER TABLE "accounts" ADD "sign_in_certificate_not_after" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE TABLE "role_sign_in_policies" ("role" character varying(32) NOT NULL, "second_factor" character varying(24) NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_role_sign_in_policies" PRIMARY KEY ("role"))`);
        await queryRunner.query(`ALTER TABLE "delegations" ADD "revoked_by" uuid`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "delegations" DROP COLUMN "revoked_by"`);
        await queryRunner.query(`DROP TABLE "role_sign_in_policies"`);
        for (const column of ['sign_in_certificate_not_after', 'sign_in_certificate_thumbprint', 'second_factor', 'password_history', 'password_changed_at', 'deactivated_at', 'citizen_id_masked', 'citizen_id_encrypted', 'email', 'phone', 'position']) {
            await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "${column}"`);
        }
    }
}
