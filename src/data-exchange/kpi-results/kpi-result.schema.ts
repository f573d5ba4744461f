import { ApiError } from '../../shared/errors/api-error.js';
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

/** Several agencies' records share an indicator and period: the caller must name one (issue 14.5). */
export function reportingAgencyRequired(indicatorCode: string, period: string, codes: string[]): ApiError {
  return new ApiError(400, 'REPORTING_AGENCY_REQUIRED', `${codes.length} agencies report ${indicatorCode}/${period}: name one with reportingAgencyCode`, [
    { field: 'reportingAgencyCode', problem: `is required: ${indicatorCode}/${period} is reported by ${codes.map((code) => code || '(unplaced)').join(', ')}` },
  ]);
}
