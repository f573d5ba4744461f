import { expectMatchesOpenApi, openApiCheckFor, operationFor } from './support/openapi-validation.js';

/**
 * The check every control-plane suite runs on its 2xx answers (through the harness) must itself
 * catch drift: an undocumented field (a leak such as a CSR body), a missing field, a wrong type,
 * an undocumented status. Answers below are shaped like the server's.
 */
const json = { 'content-type': 'application/json; charset=utf-8' };
const connection = {
  id: '5b0d7f4e-6a1c-4d2e-9f3a-1c2b3d4e5f60',
  name: 'Hệ thống quản lý nhiệm vụ',
  ownerUnit: 'Bộ Tài chính',
  state: 'SUSPENDED',
  suspensionReason: 'MANUAL_CUT_OFF',
  stateBeforeSuspension: 'LIVE',
  scope: { dataSets: ['task-results'], directions: ['push'], writeUnits: ['Bộ Tài chính'], readUnits: [] },
  dossier: null,
  securityCheck: null,
  leadershipDecision: null,
  returnReason: null,
  agreementVersion: 1,
  unitCode: 'G09.BTC',
  testConfirmation: null,
  goLiveDate: '2026-12-01',
  incidentContact: null,
  remedyDeadline: null,
  reEvaluationDue: '2027-12-01',
  createdAt: '2026-11-01T02:00:00.000Z',
  updatedAt: '2026-12-04T02:00:00.000Z',
  technicalAccount: '5b0d7f4e-6a1c-4d2e-9f3a-1c2b3d4e5f60',
  pendingCertificateRequests: [],
};

describe('control-plane answers are checked against the committed OpenAPI document', () => {
  it('accepts an answer as documented, nullable references included', () => {
    expect(() => expectMatchesOpenApi({ status: 200, body: connection, headers: json }, 'suspendConnection')).not.toThrow();
  });

  it('refuses an undocumented field: a raw entity leaking its pending CSR bodies', () => {
    const leaking = { ...connection, pendingCsrs: [{ environment: 'test', csrPem: '-----BEGIN CERTIFICATE REQUEST-----…', submittedBy: 'x' }] };
    expect(() => expectMatchesOpenApi({ status: 200, body: leaking, headers: json }, 'suspendConnection')).toThrow(/must NOT have additional properties: pendingCsrs/);
  });

  it('refuses a missing field, a wrong type, an undocumented status', () => {
    const { technicalAccount: _missing, ...incomplete } = connection;
    expect(() => expectMatchesOpenApi({ status: 200, body: incomplete, headers: json }, 'getConnection')).toThrow(/technicalAccount/);
    expect(() => expectMatchesOpenApi({ status: 200, body: { ...connection, agreementVersion: '1' }, headers: json }, 'getConnection')).toThrow(/agreementVersion must be number/);
    expect(() => expectMatchesOpenApi({ status: 201, body: connection, headers: json }, 'getConnection')).toThrow(/answered 201, which the document does not list/);
    expect(() => expectMatchesOpenApi({ status: 200, body: [connection], headers: json }, 'listConnections')).toThrow(/must be object/);
  });

  it('finds the operation by method and path, literal segments before parameters, and leaves errors to the tests', () => {
    expect(operationFor('GET', '/control/v1/remediation-reports/awaiting-restoration?limit=5')?.operationId).toBe('awaitingRestoration');
    expect(operationFor('POST', `/control/v1/connections/${connection.id}/certificates/${connection.id}/revoke`)?.operationId).toBe('revokeCertificate');
    expect(operationFor('GET', '/control/v1/notifications/webhook')?.operationId).toBe('getWebhook');
    expect(() => openApiCheckFor('get', '/control/v1/connections/x')({ status: 404, body: { anything: true }, headers: json })).not.toThrow();
    expect(() => openApiCheckFor('get', '/control/v1/nowhere')({ status: 200, body: {}, headers: json })).toThrow(/no such operation/);
  });
});
