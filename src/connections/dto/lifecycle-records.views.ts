import { ApiProperty } from '@nestjs/swagger';
import type {
  IncidentContact,
  LeadershipDecision,
  OfficialLetter,
  RemedyDeadline,
  SecurityCheck,
  TestAreaResult,
  TestReport,
} from '../lifecycle/lifecycle-records.js';

/**
 * The lifecycle paperwork a connection carries (lifecycle-records.ts), as the control plane shows
 * it. Mapped field by field like the connection itself, so a field added to a record stays
 * internal until it is added here.
 */

export class OfficialLetterView {
  @ApiProperty({ description: 'Số văn bản' }) number: string;
  @ApiProperty({ format: 'date', description: 'Ngày văn bản' }) date: string;
  @ApiProperty({ description: 'Người ký' }) signedBy: string;
  @ApiProperty({ format: 'uuid', description: 'The signed letter (GET /control/v1/documents/{id})' }) documentId: string;
}

export function toOfficialLetterView({ number, date, signedBy, documentId }: OfficialLetter): OfficialLetterView {
  return { number, date, signedBy, documentId };
}

export class SecurityCheckView {
  @ApiProperty({ description: 'The competent body that checked' }) checkedBy: string;
  @ApiProperty({ format: 'date' }) checkedOn: string;
  @ApiProperty({ enum: ['SATISFACTORY', 'UNSATISFACTORY'] }) result: string;
  @ApiProperty({ type: String, nullable: true }) findings: string | null;
  @ApiProperty({ format: 'uuid', description: "The competent body's written result" }) documentId: string;
  @ApiProperty({ description: 'Who recorded it' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export function toSecurityCheckView({ checkedBy, checkedOn, result, findings, documentId, recordedBy, recordedAt }: SecurityCheck): SecurityCheckView {
  return { checkedBy, checkedOn, result, findings, documentId, recordedBy, recordedAt };
}

export class LeadershipDecisionView {
  @ApiProperty({ description: 'Who decided (name and position)' }) decidedBy: string;
  @ApiProperty({ format: 'date' }) decidedOn: string;
  @ApiProperty({ type: String, nullable: true, description: 'Số văn bản, when it has one' }) number: string | null;
  @ApiProperty({ format: 'uuid', description: 'The decision document' }) documentId: string;
}

export function toLeadershipDecisionView({ decidedBy, decidedOn, number, documentId }: LeadershipDecision): LeadershipDecisionView {
  return { decidedBy, decidedOn, number, documentId };
}

export class IncidentContactView {
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export function toIncidentContactView({ name, phone, email, recordedAt }: IncidentContact): IncidentContactView {
  return { name, phone, email, recordedAt };
}

export class RemedyDeadlineView {
  @ApiProperty({ format: 'date', description: 'The conditions must be met by this date' }) due: string;
  @ApiProperty({ description: 'What the re-evaluation found not met' }) findings: string;
  @ApiProperty({ format: 'date-time' }) setAt: string;
  @ApiProperty({ description: 'Who set it' }) setBy: string;
}

export function toRemedyDeadlineView({ due, findings, setAt, setBy }: RemedyDeadline): RemedyDeadlineView {
  return { due, findings, setAt, setBy };
}

export class TestAreaResultView {
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) result: string;
  @ApiProperty() notes: string;
}

export class TestResultsView {
  @ApiProperty({ type: TestAreaResultView, description: 'Chức năng' }) functional: TestAreaResultView;
  @ApiProperty({ type: TestAreaResultView, description: 'Hiệu năng' }) performance: TestAreaResultView;
  @ApiProperty({ type: TestAreaResultView, description: 'An toàn, bảo mật' }) security: TestAreaResultView;
}

export class TestReportView {
  @ApiProperty({ format: 'uuid', description: 'The test report document' }) documentId: string;
  @ApiProperty({ type: TestResultsView }) results: TestResultsView;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ description: 'Who filed it' }) recordedBy: string;
}

export function toTestReportView({ documentId, results, recordedAt, recordedBy }: TestReport): TestReportView {
  const area = ({ result, notes }: TestAreaResult): TestAreaResultView => ({ result, notes });
  return { documentId, results: { functional: area(results.functional), performance: area(results.performance), security: area(results.security) }, recordedAt, recordedBy };
}
