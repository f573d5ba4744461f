import { Role } from './roles.js';

const { UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN } = Role;

/**
 * Deny by default: every control-plane action is listed here with the roles that may take it,
 * and a route that names no action is refused. Unit administrators additionally act only for
 * their own agency (checked where the connection is loaded).
 */
export const PERMISSIONS = {
  'connections.register': [UNIT_ADMIN],
  'connections.resubmit': [UNIT_ADMIN],
  'connections.read': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR],
  'connections.appraise': [DTD_REVIEWER],
  'reviewQueue.read': [DTD_REVIEWER],
  'connections.recordAgreement': [DTD_REVIEWER],
  'connections.configure': [DTD_REVIEWER],
  'connections.confirmTestAsUnit': [UNIT_ADMIN],
  'connections.confirmTestAsDtd': [DTD_REVIEWER],
  'connections.goLive': [DTD_REVIEWER],
  'connections.reEvaluate': [DTD_REVIEWER],
  'connections.recordMaintenance': [DTD_REVIEWER],
  'connections.submitAssessmentDossier': [UNIT_ADMIN],
  'connections.terminate': [DTD_REVIEWER],
  'certificates.request': [UNIT_ADMIN],
  'certificates.issue': [DTD_REVIEWER],
  'certificates.revoke': [DTD_REVIEWER, SECURITY_OFFICER],
  'connections.suspend': [SECURITY_OFFICER],
  'connections.restoreOverride': [SECURITY_OFFICER],
  'incidents.read': [SECURITY_OFFICER, DTD_REVIEWER, AUDITOR],
  // The alert outbox carries the officer's half of each activation code: officers only.
  'securityAlerts.read': [SECURITY_OFFICER],
  'incidents.manage': [SECURITY_OFFICER],
  'incidents.reportAsUnit': [UNIT_ADMIN],
  'incidents.readOwn': [UNIT_ADMIN],
  'remediation.file': [UNIT_ADMIN],
  'remediation.decide': [DTD_REVIEWER],
  'audit.read': [AUDITOR],
  'reports.read': [DTD_REVIEWER, AUDITOR],
  // IV.6: disputes over data are settled by the system's owner from its log.
  'recordVersions.read': [DTD_REVIEWER, AUDITOR],
  // The console's overview: counts across connections, incidents, traffic and units' deadlines.
  'overview.read': [DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  // DTD reviewers read the DTD's own inbox (the quarterly report lands there).
  'notifications.read': [UNIT_ADMIN, DTD_REVIEWER],
  'notifications.configure': [UNIT_ADMIN],
  'documents.upload': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER],
  // Unit administrators read only their own agency's documents (checked in DocumentsService).
  'documents.read': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR],
  'accounts.manage': [SYSTEM_ADMIN],
  'accounts.lock': [SYSTEM_ADMIN, SECURITY_OFFICER],
  // The full citizen ID (footnote 6): personal data, every read audited.
  'accounts.readPersonalData': [SYSTEM_ADMIN, AUDITOR],
  'delegations.grant': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  // The delegator, or any system administrator (checked in AccountLifecycleService).
  'delegations.revoke': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  'delegations.read': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  // The one action a session opened with an expired password may take.
  'password.changeOwn': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  'calendar.read': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  'calendar.manage': [DTD_REVIEWER],
  'units.read': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  'units.manage': [DTD_REVIEWER],
  'sessions.own': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
} as const satisfies Record<string, readonly Role[]>;

export type ControlPlaneAction = keyof typeof PERMISSIONS;

/** What a session opened with an expired password may still do. */
export const WHILE_PASSWORD_EXPIRED: readonly ControlPlaneAction[] = ['password.changeOwn'];

export function roleMay(role: Role, action: ControlPlaneAction): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}
