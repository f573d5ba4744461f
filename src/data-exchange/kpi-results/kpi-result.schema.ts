import type { RecordSchema } from '../shared/record-schema.js';

export const KPI_RESULT_SCHEMA: RecordSchema = {
  dataSet: 'kpi-results',
  table: 'kpi_results',
  changeSequence: 'kpi_results_change_seq',
  // Issue 14.5: one indicator reported for one period by 34 provinces is 34 records. Records stored
  // before the register under a name it could not place keep '' as their agency code (read as null).
  keyFields: ['indicatorCode', 'period', 'reportingAgencyCode'],
  pathKeyFields: ['indicatorCode', 'period'],
  ownerField: 'reportingAgency',
  ownerCodeField: 'reportingAgencyCode',
  unitFields: [{ nameField: 'reportingAgency', codeField: 'reportingAgencyCode', many: false }],
  fields: [
    { field: 'indicatorGroup', column: 'indicator_group', sqlType: 'text' },
    { field: 'indicatorCode', column: 'indicator_code', sqlType: 'text' },
    { field: 'indicatorName', column: 'indicator_name', sqlType: 'text' },
    { field: 'unit', column: 'unit', sqlType: 'text' },
    { field: 'methodology', column: 'methodology', sqlType: 'text' },
    { field: 'periodType', column: 'period_type', sqlType: 'text' },
    { field: 'period', column: 'period', sqlType: 'text' },
    { field: 'target', column: 'target', sqlType: 'text' },
    { field: 'reportingAgency', column: 'reporting_agency', sqlType: 'text' },
    { field: 'reportingAgencyCode', column: 'reporting_agency_code', sqlType: 'text', readSql: `NULLIF(reporting_agency_code, '')` },
    { field: 'periodResult', column: 'period_result', sqlType: 'text' },
    { field: 'cumulativeResult', column: 'cumulative_result', sqlType: 'text' },
    { field: 'progressDescription', column: 'progress_description', sqlType: 'text' },
    { field: 'difficulties', column: 'difficulties', sqlType: 'text' },
    { field: 'proposals', column: 'proposals', sqlType: 'text' },
  ],
  restrictedFields: ['progressDescription', 'difficulties', 'proposals', 'attachments'],
};
