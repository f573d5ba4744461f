/**
 * Stable reason codes for suspensions and incidents: they end up in `connections.suspension_reason`
 * (varchar 64), in the 403 CONNECTION_SUSPENDED message and in alerts.
 */
export const DETECTOR_REASONS = {
  QUERY_SPIKE: 'QUERY_SPIKE',
  UNKNOWN_SOURCE_ADDRESS: 'UNKNOWN_SOURCE_ADDRESS',
  ATTACK_SIGNATURE: 'ATTACK_SIGNATURE',
  AUTHENTICATION_FAILURES: 'AUTHENTICATION_FAILURES',
  PATH_SCANNING: 'PATH_SCANNING',
  REPEATED_SCOPE_VIOLATIONS: 'REPEATED_SCOPE_VIOLATIONS',
  SUSTAINED_QUOTA_EXCESS: 'SUSTAINED_QUOTA_EXCESS',
} as const;
export type DetectorReason = (typeof DETECTOR_REASONS)[keyof typeof DETECTOR_REASONS];

/** A reason code given by a person or a unit: upper-case words, at most 64 characters. */
export const REASON_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;
