import { recordTableOf, type RecordSchema } from '../shared/record-schema.js';
import { TaskResultRecord } from './task-result.entity.js';

export const TASK_RESULT_SCHEMA: RecordSchema = {
  dataSet: 'task-results',
  ...recordTableOf(TaskResultRecord),
  keyFields: ['taskCode'],
  pathKeyFields: ['taskCode'],
  ownerField: 'leadUnit',
  ownerCodeField: 'leadUnitCode',
  unitFields: [
    { nameField: 'leadUnit', codeField: 'leadUnitCode', many: false },
    { nameField: 'coordinatingUnits', codeField: 'coordinatingUnitCodes', many: true },
  ],
  restrictedFields: ['description', 'difficulties', 'proposals', 'attachments'],
};
