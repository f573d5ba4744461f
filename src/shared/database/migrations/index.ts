import { InitialSchema1795421548329 } from './1795421548329-initial-schema.js';
import { AuditChain1795430000000 } from './1795430000000-audit-chain.js';
import { SecurityIncidents1795600000000 } from './1795600000000-security-incidents.js';
import { ControlPlane1795650000000 } from './1795650000000-control-plane.js';
import { Remediation1795700000000 } from './1795700000000-remediation.js';
import { AuditActors1795810000000 } from './1795810000000-audit-actors.js';
import { ChangeFeedOrder1795900000000 } from './1795900000000-change-feed-order.js';
import { AuditPartitions1796000000000 } from './1796000000000-audit-partitions.js';
import { AuditAppendFunction1796100000000 } from './1796100000000-audit-append-function.js';

/** In order. Listed explicitly so that ES modules and Jest load them without globbing. */
export const MIGRATIONS = [InitialSchema1795421548329, AuditChain1795430000000, SecurityIncidents1795600000000, ControlPlane1795650000000, Remediation1795700000000, AuditActors1795810000000, ChangeFeedOrder1795900000000, AuditPartitions1796000000000, AuditAppendFunction1796100000000];
