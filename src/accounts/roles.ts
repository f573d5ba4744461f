/** Human roles of the control plane (PRODUCT.md §1). A connected system's token has none of them. */
export enum Role {
  UNIT_ADMIN = 'UNIT_ADMIN',
  DTD_REVIEWER = 'DTD_REVIEWER',
  SECURITY_OFFICER = 'SECURITY_OFFICER',
  AUDITOR = 'AUDITOR',
  SYSTEM_ADMIN = 'SYSTEM_ADMIN',
}

export const ROLES = Object.values(Role);

/**
 * How an account proves the second factor at sign-in: a TOTP code, or a client certificate the
 * gateway CA issued for it (III.2.c asks the highest level for heads of units).
 */
export enum SecondFactor {
  TOTP = 'TOTP',
  CLIENT_CERTIFICATE = 'CLIENT_CERTIFICATE',
}

export const SECOND_FACTORS = Object.values(SecondFactor);
