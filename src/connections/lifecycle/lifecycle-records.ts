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
}

export interface TestConfirmation {
  unitConfirmedAt?: string;
  unitConfirmedBy?: string;
  dtdConfirmedAt?: string;
  dtdConfirmedBy?: string;
  reportDocumentId?: string;
}

/** Pending certificate requests, by environment: the unit uploads, DTD issues. */
export interface PendingCsr {
  environment: 'test' | 'production';
  csrPem: string;
  submittedAt: string;
  submittedBy: string;
}
