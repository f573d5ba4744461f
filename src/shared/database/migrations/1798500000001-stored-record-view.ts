import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `view_json` on task_results and kpi_results: each record as consumers see it, as JSON text, kept
 * by a trigger on every insert and update, so that a page of the change feed is sent from stored
 * texts rather than built at every read (src/data-exchange/shared/record-view.ts says why and
 * how). The DDL is what `storedViewDdl()` gave when this was written, kept as text: a migration
 * does not change with the code. test/stored-record-view.e2e-spec.ts checks that the stored view
 * still equals the view the code reads, so a new field without a new migration fails there.
 *
 * Existing rows are filled by an UPDATE that the new trigger serves (it changes no other column).
 */
export class StoredRecordView1798500000001 implements MigrationInterface {
    name = 'StoredRecordView1798500000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const [table, ddl] of Object.entries(STORED_VIEW_DDL)) {
            await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN view_json text`);
            await queryRunner.query(ddl);
            await queryRunner.query(`UPDATE ${table} SET view_json = NULL`);
            await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN view_json SET NOT NULL`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of Object.keys(STORED_VIEW_DDL)) {
            await queryRunner.query(`DROP TRIGGER ${table}_keep_view ON ${table}`);
            await queryRunner.query(`DROP FUNCTION ${table}_keep_view()`);
            for (const shape of ['open', 'classified', 'tombstone']) await queryRunner.query(`DROP TYPE ${table}_view_${shape}`);
            await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN view_json`);
        }
    }
}

/** storedViewDdl(TASK_RESULT_SCHEMA) and storedViewDdl(KPI_RESULT_SCHEMA), as of this migration. */
export const STORED_VIEW_DDL: Record<string, string> = {
    task_results: `CREATE TYPE task_results_view_open AS ("taskCode" text, "taskName" text, "taskGroupCode" text, "taskGroupName" text, "leadUnit" text, "leadUnitCode" text, "coordinatingUnits" text[], "coordinatingUnitCodes" text[], "assigningDocument" text, "expectedOutput" text, "assignedAt" date, "dueDate" date, "priority" smallint, "result" text, "completedAt" date, "description" text, "difficulties" text, "proposals" text, "attachments" text[], "version" integer, "revoked" boolean, "updatedAt" timestamptz, "classification" text, "reviewStatus" text, "reviewedAt" timestamptz, "receivedAt" timestamptz, "disputeStatus" text, "disputedAt" timestamptz, "reviewExplanation" text, "disputeReason" text);
CREATE TYPE task_results_view_classified AS ("taskCode" text, "taskName" text, "taskGroupCode" text, "taskGroupName" text, "leadUnit" text, "leadUnitCode" text, "coordinatingUnits" text[], "coordinatingUnitCodes" text[], "assigningDocument" text, "expectedOutput" text, "assignedAt" date, "dueDate" date, "priority" smallint, "result" text, "completedAt" date, "version" integer, "revoked" boolean, "updatedAt" timestamptz, "classification" text, "reviewStatus" text, "reviewedAt" timestamptz, "receivedAt" timestamptz, "disputeStatus" text, "disputedAt" timestamptz);
CREATE TYPE task_results_view_tombstone AS ("taskCode" text, "revoked" boolean, "revokedAt" timestamptz);
CREATE FUNCTION task_results_keep_view() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.view_json := CASE WHEN NEW.revoked THEN row_to_json(ROW(NEW.task_code, true, NEW.revoked_at)::task_results_view_tombstone)::text
                        WHEN NEW.classification <> 'UNCLASSIFIED' THEN row_to_json(ROW(NEW.task_code, NEW.task_name, NEW.task_group_code, NEW.task_group_name, NEW.lead_unit, NEW.lead_unit_code, NEW.coordinating_units, NEW.coordinating_unit_codes, NEW.assigning_document, NEW.expected_output, NEW.assigned_at, NEW.due_date, NEW.priority, NEW.result, NEW.completed_at, NEW.version, false, NEW.updated_at, NEW.classification, NEW.review_status, NEW.reviewed_at, NEW.received_at, NEW.dispute_status, NEW.disputed_at)::task_results_view_classified)::text
                        ELSE row_to_json(ROW(NEW.task_code, NEW.task_name, NEW.task_group_code, NEW.task_group_name, NEW.lead_unit, NEW.lead_unit_code, NEW.coordinating_units, NEW.coordinating_unit_codes, NEW.assigning_document, NEW.expected_output, NEW.assigned_at, NEW.due_date, NEW.priority, NEW.result, NEW.completed_at, NEW.description, NEW.difficulties, NEW.proposals, NEW.attachments, NEW.version, false, NEW.updated_at, NEW.classification, NEW.review_status, NEW.reviewed_at, NEW.received_at, NEW.dispute_status, NEW.disputed_at, NEW.review_explanation, NEW.dispute_reason)::task_results_view_open)::text END;
  RETURN NEW;
END
$$;
CREATE TRIGGER task_results_keep_view BEFORE INSERT OR UPDATE ON task_results FOR EACH ROW EXECUTE FUNCTION task_results_keep_view();`,
    kpi_results: `CREATE TYPE kpi_results_view_open AS ("indicatorGroup" text, "indicatorCode" text, "indicatorName" text, "unit" text, "methodology" text, "periodType" text, "period" text, "target" text, "reportingAgency" text, "reportingAgencyCode" text, "periodResult" text, "cumulativeResult" text, "progressDescription" text, "difficulties" text, "proposals" text, "attachments" text[], "version" integer, "revoked" boolean, "updatedAt" timestamptz, "classification" text, "reviewStatus" text, "reviewedAt" timestamptz, "receivedAt" timestamptz, "disputeStatus" text, "disputedAt" timestamptz, "reviewExplanation" text, "disputeReason" text);
CREATE TYPE kpi_results_view_classified AS ("indicatorGroup" text, "indicatorCode" text, "indicatorName" text, "unit" text, "methodology" text, "periodType" text, "period" text, "target" text, "reportingAgency" text, "reportingAgencyCode" text, "periodResult" text, "cumulativeResult" text, "version" integer, "revoked" boolean, "updatedAt" timestamptz, "classification" text, "reviewStatus" text, "reviewedAt" timestamptz, "receivedAt" timestamptz, "disputeStatus" text, "disputedAt" timestamptz);
CREATE TYPE kpi_results_view_tombstone AS ("indicatorCode" text, "period" text, "reportingAgencyCode" text, "revoked" boolean, "revokedAt" timestamptz);
CREATE FUNCTION kpi_results_keep_view() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.view_json := CASE WHEN NEW.revoked THEN row_to_json(ROW(NEW.indicator_code, NEW.period, NULLIF(NEW.reporting_agency_code, ''), true, NEW.revoked_at)::kpi_results_view_tombstone)::text
                        WHEN NEW.classification <> 'UNCLASSIFIED' THEN row_to_json(ROW(NEW.indicator_group, NEW.indicator_code, NEW.indicator_name, NEW.unit, NEW.methodology, NEW.period_type, NEW.period, NEW.target, NEW.reporting_agency, NULLIF(NEW.reporting_agency_code, ''), NEW.period_result, NEW.cumulative_result, NEW.version, false, NEW.updated_at, NEW.classification, NEW.review_status, NEW.reviewed_at, NEW.received_at, NEW.dispute_status, NEW.disputed_at)::kpi_results_view_classified)::text
                        ELSE row_to_json(ROW(NEW.indicator_group, NEW.indicator_code, NEW.indicator_name, NEW.unit, NEW.methodology, NEW.period_type, NEW.period, NEW.target, NEW.reporting_agency, NULLIF(NEW.reporting_agency_code, ''), NEW.period_result, NEW.cumulative_result, NEW.progress_description, NEW.difficulties, NEW.proposals, NEW.attachments, NEW.version, false, NEW.updated_at, NEW.classification, NEW.review_status, NEW.reviewed_at, NEW.received_at, NEW.dispute_status, NEW.disputed_at, NEW.review_explanation, NEW.dispute_reason)::kpi_results_view_open)::text END;
  RETURN NEW;
END
$$;
CREATE TRIGGER kpi_results_keep_view BEFORE INSERT OR UPDATE ON kpi_results FOR EACH ROW EXECUTE FUNCTION kpi_results_keep_view();`,
};
