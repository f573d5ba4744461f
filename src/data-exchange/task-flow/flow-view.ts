/**
 * The task-flow state as it appears in a record's JSON (key and SQL over the row's columns, for
 * record-view.ts). The explanation and the dispute's reason are narrative, so a classified
 * record (III.1.d: only its status) carries the statuses and times but not them.
 */
const STATUS_PAIRS: Array<[key: string, sql: string]> = [
  ['reviewStatus', 'review_status'],
  ['reviewedAt', 'reviewed_at'],
  ['receivedAt', 'received_at'],
  ['disputeStatus', 'dispute_status'],
  ['disputedAt', 'disputed_at'],
];
const NARRATIVE_PAIRS: Array<[key: string, sql: string]> = [['reviewExplanation', 'review_explanation'], ['disputeReason', 'dispute_reason']];

export function flowViewPairs(classified: boolean): Array<[key: string, sql: string]> {
  return classified ? STATUS_PAIRS : [...STATUS_PAIRS, ...NARRATIVE_PAIRS];
}
