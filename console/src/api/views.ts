/**
 * What the console reads from responses the OpenAPI document does not describe yet (issue 13,
 * part 1 adds response schemas; then these give way to `components['schemas'][...]`).
 */
export type Role = 'UNIT_ADMIN' | 'DTD_REVIEWER' | 'SECURITY_OFFICER' | 'AUDITOR' | 'SYSTEM_ADMIN';

export interface Me {
  accountId: string;
  username: string;
  role: Role;
  unit: string | null;
  holderName: string;
  assistant?: { accountId: string; username: string; holderName: string };
}

export type SignInAnswer =
  | { tokenType: 'Cookie'; expiresIn: number; failedSignInsSinceLastSignIn?: number; passwordChangeRequired?: true }
  | { mfaEnrolmentRequired: true; enrolmentToken: string; otpauthUri: string };

export interface ConnectionView {
  id: string;
  name: string;
  ownerUnit: string;
  state: string;
  suspensionReason: string | null;
  unitCode: string | null;
  updatedAt?: string;
  createdAt?: string;
}

export interface IncidentView {
  id: string;
  connectionId: string | null;
  source: string;
  reasonCode: string;
  severity: string | null;
  summary: string;
  openedAt: string;
  classifiedAt: string | null;
  reportedAt: string | null;
  officialReportAt: string | null;
  reviewAt: string | null;
  closedAt: string | null;
  deadlines: { classification: string; reportToAuthority: string; officialReport: string; review: string };
  overdue: { classification: boolean; reportToAuthority: boolean; officialReport: boolean; review: boolean };
  isOverdue: boolean;
}
