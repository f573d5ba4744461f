import { ApiProperty } from '@nestjs/swagger';
import type { ClientCertificateRecord } from '../../pki/client-certificate.entity.js';
import { ENVIRONMENTS } from '../environment.js';
import { TestConfirmationView } from './connection.views.js';

export class CertificateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ enum: ENVIRONMENTS }) environment: string;
  @ApiProperty() serialNumber: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256 of the DER certificate' }) thumbprintSha256: string;
  @ApiProperty({ example: 'C=VN, CN=he-thong.btc' }) subject: string;
  @ApiProperty({ format: 'date-time' }) notBefore: Date;
  @ApiProperty({ format: 'date-time' }) notAfter: Date;
  @ApiProperty({ description: 'The issued certificate, PEM' }) certificatePem: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export function toCertificateView(c: ClientCertificateRecord): CertificateView {
  const { id, connectionId, environment, serialNumber, thumbprintSha256, subject, notBefore, notAfter, certificatePem, revokedAt, revocationReason, createdAt } = c;
  return { id, connectionId, environment, serialNumber, thumbprintSha256, subject, notBefore, notAfter, certificatePem, revokedAt, revocationReason, createdAt };
}

class ReconciliationRecordsView {
  @ApiProperty() taskResults: number;
  @ApiProperty() kpiResults: number;
  @ApiProperty() revokedTaskResults: number;
  @ApiProperty() revokedKpiResults: number;
}

class ReconciliationCallsView {
  @ApiProperty() statusCode: number;
  @ApiProperty({ description: 'Empty for accepted calls' }) errorCode: string;
  @ApiProperty() count: number;
}

class SampleTaskResultView {
  @ApiProperty() taskCode: string;
  @ApiProperty() leadUnit: string;
  @ApiProperty() result: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

class SampleKpiResultView {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() period: string;
  @ApiProperty() reportingAgency: string;
  @ApiProperty() periodResult: string;
  @ApiProperty() version: number;
}

class ReconciliationSamplesView {
  @ApiProperty({ type: [SampleTaskResultView] }) taskResults: SampleTaskResultView[];
  @ApiProperty({ type: [SampleKpiResultView] }) kpiResults: SampleKpiResultView[];
}

/** Step 5: what the connection exchanged in the test environment. */
export class TestReconciliationView {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: ReconciliationRecordsView }) records: ReconciliationRecordsView;
  @ApiProperty({ type: [ReconciliationCallsView], description: 'Test calls by status and error code' }) calls: ReconciliationCallsView[];
  @ApiProperty({ description: 'Calls refused with 400' }) validationFailures: number;
  @ApiProperty({ type: ReconciliationSamplesView, description: 'The latest five records of each data set' }) samples: ReconciliationSamplesView;
  @ApiProperty({ type: TestConfirmationView, nullable: true }) confirmation: TestConfirmationView | null;
}
