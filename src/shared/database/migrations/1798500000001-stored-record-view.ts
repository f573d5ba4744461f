import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `view_json` on task_results and kpi_results: the record as a pull shows it (without a query's
 * computed fields), kept by a trigger at every write of the row, whatever statement made it
 * (push, revoke, the task flow, a unit merger). A page of the feed is then assembled from these
 * texts (src/data-exchange/shared/record-view.ts, storedViewSql) instead of PostgreSQL building
 * every record's JSON again on every pull: for a consumer paging through history that was most of
 * a page's cost (issue 19.3).
 *
 * The view's SQL is written out here as recordViewSql() generated it when this migration was
 * written: a migration does what it did then. record-view.spec.ts fails when the view in code and
 * this trigger's disagree; a change to the view comes with a migration replacing the function.
 * Written by hand: TypeORM does not model triggers.
 */
export class StoredRecordView1798500000001 implements MigrationInterface {
    name = 'StoredRecordView1798500000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const [table, view] of Object.entries(VIEWS)) {
            await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN view_json text`);
            // Existing rows, before the trigger exists (nothing else fires; change numbers stay).
            await queryRunner.query(`UPDATE ${table} SET view_json = ${view}`);
            await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN view_json SET NOT NULL`);
            await queryRunner.query(`CREATE FUNCTION ${table}_view_json() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT ${view} INTO NEW.view_json FROM (SELECT NEW.*) AS r;
    RETURN NEW;
END
$$`);
            await queryRunner.query(`CREATE TRIGGER ${table}_view_json BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_view_json()`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of Object.keys(VIEWS)) {
            await queryRunner.query(`DROP TRIGGER ${table}_view_json ON ${table}`);
            await queryRunner.query(`DROP FUNCTION ${table}_view_json()`);
            await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN view_json`);
        }
    }
}

/** recordViewSql(TASK_RESULT_SCHEMA) and recordViewSql(KPI_RESULT_SCHEMA), as of this migration. */
export const VIEWS: Record<string, string> = {
    task_results: `(CASE WHEN revoked THEN json_build_object('taskCode', task_code, 'revoked', true, 'revokedAt', revoked_at)
        WHEN classification <> 'UNCLASSIFIED' THEN json_build_object('taskCode', task_code, 'taskName', task_name, 'taskGroupCode', task_group_code, 'taskGroupName', task_group_name, 'leadUnit', lead_unit, 'leadUnitCode', lead_unit_code, 'coordinatingUnits', coordinating_units, 'coordinatingUnitCodes', coordinating_unit_codes, 'assigningDocument', assigning_document, 'expectedOutput', expected_output, 'assignedAt', assigned_at, 'dueDate', due_date, 'priority', priority, 'result', result, 'completedAt', completed_at, 'version', version, 'revoked', false, 'updatedAt', updated_at, 'classification', classification, 'reviewStatus', review_status, 'reviewedAt', reviewed_at, 'receivedAt', received_at, 'disputeStatus', dispute_status, 'disputedAt', disputed_at)
        ELSE json_build_object('taskCode', task_code, 'taskName', task_name, 'taskGroupCode', task_group_code, 'taskGroupName', task_group_name, 'leadUnit', lead_unit, 'leadUnitCode', lead_unit_code, 'coordinatingUnits', coordinating_units, 'coordinatingUnitCodes', coordinating_unit_codes, 'assigningDocument', assigning_document, 'expectedOutput', expected_output, 'assignedAt', assigned_at, 'dueDate', due_date, 'priority', priority, 'result', result, 'completedAt', completed_at, 'description', description, 'difficulties', difficulties, 'proposals', proposals, 'attachments', attachments, 'version', version, 'revoked', false, 'updatedAt', updated_at, 'classification', classification, 'reviewStatus', review_status, 'reviewedAt', reviewed_at, 'receivedAt', received_at, 'disputeStatus', dispute_status, 'disputedAt', disputed_at, 'reviewExplanation', review_explanation, 'disputeReason', dispute_reason) END)::text`,
    kpi_results: `(CASE WHEN revoked THEN json_build_object('indicatorCode', indicator_code, 'period', period, 'reportingAgencyCode', NULLIF(reporting_agency_code, ''), 'revoked', true, 'revokedAt', revoked_at)
        WHEN classification <> 'UNCLASSIFIED' THEN json_build_object('indicatorGroup', indicator_group, 'indicatorCode', indicator_code, 'indicatorName', indicator_name, 'unit', unit, 'methodology', methodology, 'periodType', period_type, 'period', period, 'target', target, 'reportingAgency', reporting_agency, 'reportingAgencyCode', NULLIF(reporting_agency_code, ''), 'periodResult', period_result, 'cumulativeResult', cumulative_result, 'version', version, 'revoked', false, 'updatedAt', updated_at, 'classification', classification, 'reviewStatus', review_status, 'reviewedAt', reviewed_at, 'receivedAt', received_at, 'disputeStatus', dispute_status, 'disputedAt', disputed_at)
        ELSE json_build_object('indicatorGroup', indicator_group, 'indicatorCode', indicator_code, 'indicatorName', indicator_name, 'unit', unit, 'methodology', methodology, 'periodType', period_type, 'period', period, 'target', target, 'reportingAgency', reporting_agency, 'reportingAgencyCode', NULLIF(reporting_agency_code, ''), 'periodResult', period_result, 'cumulativeResult', cumulative_result, 'progressDescription', progress_description, 'difficulties', difficulties, 'proposals', proposals, 'attachments', attachments, 'version', version, 'revoked', false, 'updatedAt', updated_at, 'classification', classification, 'reviewStatus', review_status, 'reviewedAt', reviewed_at, 'receivedAt', received_at, 'disputeStatus', dispute_status, 'disputedAt', disputed_at, 'reviewExplanation', review_explanation, 'disputeReason', dispute_reason) END)::text`,
};
