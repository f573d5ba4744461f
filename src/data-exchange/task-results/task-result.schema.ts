import type { RecordSchema } from '../shared/record-schema.js';

export const TASK_RESULT_SCHEMA: RecordSchema = {
  dataSet: 'task-results',
  table: 'task_results',
  changeSequence: 'task_results_change_seq',
  keyFields: ['taskCode'],
  ownerField: 'leadUnit',
  fields: [
    { field: 'taskCode', column: 'task_code', sqlType: 'text' },
    { field: 'taskName', column: 'task_name', sqlType: 'text' },
    { field: 'taskGroupCode', column: 'task_group_code', sqlType: 'text' },
    { field: 'taskGroupName', column: 'task_group_name', sqlType: 'text' },
    { field: 'leadUnit', column: 'lead_unit', sqlType: 'text' },
    { field: 'coordinatingUnits', column: 'coordinating_units', sqlType: 'text[]' },
    { field: 'assigningDocument', column: 'assigning_document', sqlType: 'text' },
    { field: 'expectedOutput', column: 'expected_output', sqlType: 'text' },
    { field: 'assignedAt', column: 'assigned_at', sqlType: 'date' },
    { field: 'dueDate', column: 'due_date', sqlType: 'date' },
    { field: 'priority', column: 'priority', sqlType: 'smallint' },
    { field: 'result', column: 'result', sqlType: 'text' },
    { field: 'completedAt', column: 'completed_at', sqlType: 'date' },
    { field: 'description', column: 'description', sqlType: 'text' },
    { field: 'difficulties', column: 'difficulties', sqlType: 'text' },
    { field: 'proposals', column: 'proposals', sqlType: 'text' },
  ],
  restrictedFields: ['description', 'difficulties', 'proposals', 'attachments'],
};
