import { InitialSchema1795421548329 } from './1795421548329-initial-schema.js';
import { AuditChain1795430000000 } from './1795430000000-audit-chain.js';
import { SecurityIncidents1795600000000 } from './1795600000000-security-incidents.js';
import { ControlPlane1795650000000 } from './1795650000000-control-plane.js';
import { Remediation1795700000000 } from './1795700000000-remediation.js';
import { AuditActors1795810000000 } from './1795810000000-audit-actors.js';
import { ChangeFeedOrder1795900000000 } from './1795900000000-change-feed-order.js';
import { AuditPartitions1796000000000 } from './1796000000000-audit-partitions.js';
import { AuditAppendFunction1796100000000 } from './1796100000000-audit-append-function.js';
import { WorkingCalendar1797100000000 } from './1797100000000-working-calendar.js';
import { RuntimeRole1797300000001 } from './1797300000001-runtime-role.js';
import { SignInHardening1797500000001 } from './1797500000001-sign-in-hardening.js';
import { WebhookDeliveryLog1797700000001 } from './1797700000001-webhook-delivery-log.js';
import { PeriodicReports1797800000001 } from './1797800000001-periodic-reports.js';
import { UnitRegister1797900000001 } from './1797900000001-unit-register.js';
import { DataAuthority1798000000001 } from './1798000000001-data-authority.js';
import { LifecyclePaperwork1798100000001 } from './1798100000001-lifecycle-paperwork.js';
import { AccountLifecycle1798200000001 } from './1798200000001-account-lifecycle.js';
import { KpiKeyAgency1798300000001 } from './1798300000001-kpi-key-agency.js';
import { ChangeFeedWriters1798400000001 } from './1798400000001-change-feed-writers.js';
import { StoredRecordView1798500000001 } from './1798500000001-stored-record-view.js';
import { AuditChainHead1798600000001 } from './1798600000001-audit-chain-head.js';
import { AuditAppendRows1798700000001 } from './1798700000001-audit-append-rows.js';
import { UnitIncidentReport1798800000001 } from './1798800000001-unit-incident-report.js';
import { ControlSessions1798900000001 } from './1798900000001-control-sessions.js';

/** In order. Listed explicitly so that ES modules and Jest load them without globbing. */
export const MIGRATIONS = [InitialSchema1795421548329, AuditChain1795430000000, SecurityIncidents1795600000000, ControlPlane1795650000000, Remediation1795700000000, AuditActors1795810000000, ChangeFeedOrder1795900000000, AuditPartitions1796000000000, AuditAppendFunction1796100000000, WorkingCalendar1797100000000, RuntimeRole1797300000001, SignInHardening1797500000001, WebhookDeliveryLog1797700000001, PeriodicReports1797800000001, UnitRegister1797900000001, DataAuthority1798000000001, LifecyclePaperwork1798100000001, AccountLifecycle1798200000001, KpiKeyAgency1798300000001, ChangeFeedWriters1798400000001, StoredRecordView1798500000001, AuditChainHead1798600000001, AuditAppendRows1798700000001, UnitIncidentReport1798800000001, ControlSessions1798900000001];
