/** The kinds of unit in the register (the guidance's addressees, by level). */
export const UNIT_KINDS = ['PARTY_COMMITTEE_UNDER_CC', 'CENTRAL_PARTY_BODY', 'MINISTRY_OR_CENTRAL_AGENCY', 'PROVINCE', 'COMMUNE'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
