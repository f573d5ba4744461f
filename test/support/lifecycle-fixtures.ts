import forge from 'node-forge';
import type { ControlPlaneHarness, Person } from './control-plane-harness.js';
import { makeCsr } from './control-plane-harness.js';
import { taskResult, type TestClient } from './gateway-harness.js';
import { agreementFor, dossier, incidentContact, leadershipDecision, PDF, securityCheck, testReport, todayInVietnam } from './lifecycle-papers.js';

export * from './lifecycle-papers.js';

/** Step 1's security check recorded, then step 2's approval with its leadership decision. */
export async function approveWithPaperwork(h: ControlPlaneHarness, reviewer: Person, connectionId: string): Promise<string> {
  const dtd = h.as(reviewer);
  const documentId = (await dtd.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
  await dtd.post(`/control/v1/connections/${connectionId}/security-check`).send(securityCheck(documentId)).expect(200);
  await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'APPROVE', reasons: 'Đủ điều kiện', leadershipDecision: leadershipDecision(documentId) }).expect(200);
  return documentId;
}

/** A PKCS#10 request for an existing key pair (a unit reusing a key it already has). */
export function csrForKey(keyPem: string, commonName: string): string {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([{ shortName: 'C', value: 'VN' }, { shortName: 'CN', value: commonName }]);
  csr.sign(key, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

/**
 * Steps 1-4 driven by people: registered, approved, agreement recorded, test certificate issued.
 * Returns the connection in TESTING and its test credentials.
 */
export async function onboardToTesting(
  h: ControlPlaneHarness,
  unitAdmin: Person,
  reviewer: Person,
  unit: string,
  agreementOverrides: Record<string, unknown> = {},
): Promise<{ connectionId: string; testClient: TestClient; documentId: string }> {
  const u = h.as(unitAdmin);
  const dtd = h.as(reviewer);
  const doc = await u.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
  const { id } = (await u.post('/control/v1/connections').send({ name: `Hệ thống của ${unit}`, dossier: dossier(doc.body.documentId) }).expect(201)).body;
  const dtdDocument = await approveWithPaperwork(h, reviewer, id);
  await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreementFor(unit, { documentId: dtdDocument, ...agreementOverrides })).expect(200);
  const testKey = makeCsr('he-thong-test');
  await u.post(`/control/v1/connections/${id}/certificate-requests`).send({ environment: 'test', csrPem: testKey.csrPem }).expect(200);
  await dtd.post(`/control/v1/connections/${id}/configure`).send({ unitCode: `U-${id.slice(0, 8)}` }).expect(200);
  const [cert] = (await u.get(`/control/v1/connections/${id}/certificates`).expect(200)).body.items;
  return {
    connectionId: id,
    documentId: dtdDocument,
    testClient: { connectionId: id, certificateId: cert.id, thumbprint: cert.thumbprintSha256, certPem: cert.certificatePem, keyPem: testKey.keyPem },
  };
}

/**
 * Step 5: something exchanged in test, DTD's test report on file, both sides confirm: TEST_PASSED.
 */
export async function passTest(h: ControlPlaneHarness, unitAdmin: Person, reviewer: Person, unit: string, connectionId: string, testClient: TestClient, documentId: string): Promise<void> {
  const code = `T-${connectionId.slice(0, 6)}`;
  await (await h.gateway.as(testClient)).put(`/api/v1/task-results/${code}`).send(taskResult(code, unit)).expect(201);
  await h.as(reviewer).post(`/control/v1/connections/${connectionId}/test-report`).send(testReport(documentId)).expect(200);
  await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/test-confirmations/unit`).send({ notes: 'Đạt' }).expect(200);
  const passed = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/test-confirmations/dtd`).send({ notes: 'Đạt' }).expect(200);
  if (passed.body.state !== 'TEST_PASSED') throw new Error(`passTest: the connection is ${passed.body.state}, not TEST_PASSED`);
}

/**
 * The seven steps' first six driven by people, as the control plane runs them (no back door into
 * the connections table): registered, approved, agreed, tested, production certificate issued,
 * live from today. Returns the production and test credentials.
 */
export async function liveConnection(
  h: ControlPlaneHarness,
  unitAdmin: Person,
  reviewer: Person,
  unit: string,
  agreementOverrides: Record<string, unknown> = {},
): Promise<{ connectionId: string; production: TestClient; test: TestClient }> {
  const { connectionId, testClient, documentId } = await onboardToTesting(h, unitAdmin, reviewer, unit, agreementOverrides);
  await passTest(h, unitAdmin, reviewer, unit, connectionId, testClient, documentId);
  const prodKey = makeCsr('he-thong-chinh-thuc');
  await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);
  await h.as(reviewer).post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact }).expect(200);
  const certificates = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
  const cert = certificates.find((c: { environment: string; revokedAt: string | null }) => c.environment === 'production' && !c.revokedAt);
  return {
    connectionId,
    production: { connectionId, certificateId: cert.id, thumbprint: cert.thumbprintSha256, certPem: cert.certificatePem, keyPem: prodKey.keyPem },
    test: testClient,
  };
}
