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
  'connections.recordAgreement': [DTD_REVIEWER],
  'connections.configure': [DTD_REVIEWER],
  'connections.confirmTestAsUnit': [UNIT_ADMIN],
  'connections.confirmTestAsDtd': [DTD_REVIEWER],
  'connections.goLive': [DTD_REVIEWER],
  'connections.reEvaluate': [DTD_REVIEWER],
  'connections.recordMaintenance': [DTD_REVIEWER],
  'connections.terminate': [DTD_REVIEWER],
  'certificates.request': [UNIT_ADMIN],
  'certificates.issue': [DTD_REVIEWER],
  'certificates.revoke': [DTD_REVIEWER, SECURITY_OFFICER],
  'connections.suspend': [SECURITY_OFFICER],
  'connections.restoreOverride': [SECURITY_OFFICER],
  'incidents.read': [SECURITY_OFFICER, DTD_REVIEWER, AUDITOR],
  'incidents.manage': [SECURITY_OFFICER],
  'incidents.reportAsUnit': [UNIT_ADMIN],
  'remediation.file': [UNIT_ADMIN],
  'remediation.decide': [DTD_REVIEWER],
  'audit.read': [AUDITOR],
  'notifications.read': [UNIT_ADMIN],
  'notifications.configure': [UNIT_ADMIN],
  'documents.upload': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER],
  'accounts.manage': [SYSTEM_ADMIN],
  'delegations.grant': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
  'sessions.own': [UNIT_ADMIN, DTD_REVIEWER, SECURITY_OFFICER, AUDITOR, SYSTEM_ADMIN],
} as const satisfies Record<string, readonly Role[]>;

export type ControlPlaneAction = keyof typeof PERMISSIONS;

export function roleMay(role: Role, action: ControlPlaneAction): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}
