import { AccountEvent } from '../../accounts/account-event.entity.js';
import { ControlSession } from '../../accounts/control-session.entity.js';
import { Account } from '../../accounts/account.entity.js';
import { Delegation } from '../../accounts/delegation.entity.js';
import { RoleSignInPolicy } from '../../accounts/role-sign-in-policy.entity.js';
import { EndedSession, SignInFailure, SignInSourceWindow } from '../../accounts/sign-in-records.entity.js';
import { AuditCheckpoint } from '../../audit/checkpoints/audit-checkpoint.entity.js';
import { AuditEntry } from '../../audit/chain/audit-entry.entity.js';
import { CalendarDay } from '../../calendar/calendar-day.entity.js';
import { ConnectionAgreement } from '../../connections/connection-agreement.entity.js';
import { ConnectionEvent } from '../../connections/connection-event.entity.js';
import { Connection } from '../../connections/connection.entity.js';
import { Attachment } from '../../data-exchange/attachments/attachment.entity.js';
import { KpiResultRecord } from '../../data-exchange/kpi-results/kpi-result.entity.js';
import { RecordVersion } from '../../data-exchange/versions/record-version.entity.js';
import { TaskResultRecord } from '../../data-exchange/task-results/task-result.entity.js';
import { ControlDocument } from '../../documents/document.entity.js';
import { Notification, UnitWebhook, WebhookDelivery } from '../../notifications/notification.entity.js';
import { ClientCertificateRecord } from '../../pki/client-certificate.entity.js';
import { ConnectionSuspension } from '../../security/suspension/connection-suspension.entity.js';
import { IncidentEvidence } from '../../security/incidents/incident-evidence.entity.js';
import { Incident } from '../../security/incidents/incident.entity.js';
import { SecurityAlert } from '../../security/alerts/security-alert.entity.js';
import { UnitEvent } from '../../units/unit-event.entity.js';
import { Unit } from '../../units/unit.entity.js';
import { RemediationReport } from '../../security/remediation/remediation-report.entity.js';

/** Listed explicitly rather than globbed: ES modules and Jest both load them reliably this way. */
const CONTROL_PLANE = [RemediationReport, Account, AccountEvent, Delegation, SignInFailure, SignInSourceWindow, EndedSession, ControlSession, RoleSignInPolicy, ConnectionEvent, ConnectionAgreement, ControlDocument, Notification, UnitWebhook, WebhookDelivery];

export const ENTITIES = [...CONTROL_PLANE, Connection, ClientCertificateRecord, TaskResultRecord, KpiResultRecord, RecordVersion, Attachment, AuditEntry, AuditCheckpoint, Incident, IncidentEvidence, SecurityAlert, ConnectionSuspension, CalendarDay, Unit, UnitEvent];
