/** Contact point of the connecting agency. */
export interface ContactPoint {
  name: string;
  email: string;
  phone: string;
}

/** Step 1: what the agency files (Appendix II part I). */
export interface TechnicalDossier {
  dataScope: string;
  purpose: string;
  systemDescription: string;
  /** Information-security level under Decree 85/2016, 1-5. */
  securityLevel: number;
  technicalContact: ContactPoint;
  businessContact: ContactPoint;
  /** The security-level assessment confirmed by a competent authority (an uploaded document). */
  securityAssessmentDocumentId: string;
  /** The unit's official request letter (công văn đề nghị); absent on dossiers filed before it was required. */
  requestLetter?: OfficialLetter;
}

/** An official document as the guidance cites one: số, ngày, người ký, and its uploaded scan. */
export interface OfficialLetter {
  number: string;
  date: string;
  signedBy: string;
  documentId: string;
}

/** Step 1 (IV.5.đ): the security check of the unit's system by the competent body. */
export interface SecurityCheck {
  checkedBy: string;
  checkedOn: string;
  result: 'SATISFACTORY' | 'UNSATISFACTORY';
  findings: string | null;
  documentId: string;
  recordedBy: string;
  recordedAt: string;
}

/** Step 2: the decision of the leadership of the Office the appraisal reported to. */
export interface LeadershipDecision {
  decidedBy: string;
  decidedOn: string;
  number: string | null;
  documentId: string;
}

/** Step 6: the unit's 24/7 contact for incidents, shown to the security officer. */
export interface IncidentContact {
  name: string;
  phone: string;
  email: string;
  recordedAt: string;
}

/** Step 7: a re-evaluation that found the conditions not met, with a deadline to fix them. */
export interface RemedyDeadline {
  due: string;
  findings: string;
  setAt: string;
  setBy: string;
}

export const TEST_AREAS = ['functional', 'performance', 'security'] as const;
export type TestArea = (typeof TEST_AREAS)[number];
export interface TestAreaResult {
  result: 'PASS' | 'FAIL';
  notes: string;
}

/** Step 5: the test report both sides confirm — its document and the three areas' results. */
export interface TestReport {
  documentId: string;
  results: Record<TestArea, TestAreaResult>;
  recordedAt: string;
  recordedBy: string;
}

export interface TestConfirmation {
  unitConfirmedAt?: string;
  unitConfirmedBy?: string;
  dtdConfirmedAt?: string;
  dtdConfirmedBy?: string;
  reportDocumentId?: string;
  /** The report the confirmations are of; filing a new one clears them. */
  report?: TestReport;
}

/** Pending certificate requests, by environment: the unit uploads, DTD issues. */
export interface PendingCsr {
  environment: 'test' | 'production';
  csrPem: string;
  submittedAt: string;
  submittedBy: string;
}
