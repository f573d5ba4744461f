import { AuditEntry } from '../../audit/audit-entry.entity.js';
import { Connection } from '../../connections/connection.entity.js';
import { Attachment } from '../../data-exchange/attachments/attachment.entity.js';
import { KpiResultRecord } from '../../data-exchange/kpi-results/kpi-result.entity.js';
import { TaskResultRecord } from '../../data-exchange/task-results/task-result.entity.js';
import { ClientCertificateRecord } from '../../pki/client-certificate.entity.js';
import { ConnectionSuspension } from '../../security/entities/connection-suspension.entity.js';
import { IncidentEvidence } from '../../security/entities/incident-evidence.entity.js';
import { Incident } from '../../security/entities/incident.entity.js';
import { SecurityAlert } from '../../security/entities/security-alert.entity.js';

/** Listed explicitly rather than globbed: ES modules and Jest both load them reliably this way. */
export const ENTITIES = [Connection, ClientCertificateRecord, TaskResultRecord, KpiResultRecord, Attachment, AuditEntry, Incident, IncidentEvidence, SecurityAlert, ConnectionSuspension];
