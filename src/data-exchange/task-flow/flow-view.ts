/**
 * The task-flow state as it appears in a record's JSON (json_build_object pairs over the row's
 * columns). The explanation and the dispute's reason are narrative, so a classified record
 * (III.1.d: only its status) carries the statuses and times but not them.
 */
const STATUS_PAIRS = [
  `'reviewStatus', review_status`,
  `'reviewedAt', reviewed_at`,
  `'receivedAt', received_at`,
  `'disputeStatus', dispute_status`,
  `'disputedAt', disputed_at`,
];
const NARRATIVE_PAIRS = [`'reviewExplanation', review_explanation`, `'disputeReason', dispute_reason`];

export function flowViewPairs(classified: boolean): string[] {
  return classified ? STATUS_PAIRS : [...STATUS_PAIRS, ...NARRATIVE_PAIRS];
}
