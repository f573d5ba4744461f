import { recordTableOf, type RecordSchema } from '../shared/record-schema.js';
import { KpiResultRecord } from './kpi-result.entity.js';

export const KPI_RESULT_SCHEMA: RecordSchema = {
  dataSet: 'kpi-results',
  // Records stored before the register under a name it could not place keep '' as their agency
  // code, read as null.
  ...recordTableOf(KpiResultRecord, { reportingAgencyCode: `NULLIF(reporting_agency_code, '')` }),
  // Issue 14.5: one indicator reported for one period by 34 provinces is 34 records.
  keyFields: ['indicatorCode', 'period', 'reportingAgencyCode'],
  pathKeyFields: ['indicatorCode', 'period'],
  ownerField: 'reportingAgency',
  ownerCodeField: 'reportingAgencyCode',
  unitFields: [{ nameField: 'reportingAgency', codeField: 'reportingAgencyCode', many: false }],
  restrictedFields: ['progressDescription', 'difficulties', 'proposals', 'attachments'],
};
