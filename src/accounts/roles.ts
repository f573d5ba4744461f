/** Human roles of the control plane (PRODUCT.md §1). A connected system's token has none of them. */
export enum Role {
  UNIT_ADMIN = 'UNIT_ADMIN',
  DTD_REVIEWER = 'DTD_REVIEWER',
  SECURITY_OFFICER = 'SECURITY_OFFICER',
  AUDITOR = 'AUDITOR',
  SYSTEM_ADMIN = 'SYSTEM_ADMIN',
}

export const ROLES = Object.values(Role);
