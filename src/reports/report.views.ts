import { ApiProperty } from '@nestjs/swagger';
import { DATA_SETS } from './periodic-report.service.js';
import type { PeriodicReport } from './report-sections.js';

/**
 * The periodic report as the control plane answers it in JSON (PeriodicReport, report-sections.ts).
 * A scheduled report is answered as it was stored when generated, so these views describe the
 * stored shape too; `satisfies` below ties them to the type the report is built as.
 */

const CLOCKS = ['MET', 'MISSED', 'PENDING', 'OVERDUE', 'NOT_APPLICABLE'];
const CLOCK_DESCRIPTION = 'MET, MISSED, still PENDING, OVERDUE (running late), or NOT_APPLICABLE';

export class ReportPeriodView {
  @ApiProperty({ example: '2026-Q3', description: '2026-Q3, 2026-H1, 2026, or 2026-10-01..2026-11-15' }) label: string;
  @ApiProperty({ format: 'date', description: 'First day' }) from: string;
  @ApiProperty({ format: 'date', description: 'Last day, included' }) to: string;
}

class RecordsRowView {
  @ApiProperty({ enum: DATA_SETS }) dataSet: string;
  @ApiProperty() unit: string;
  @ApiProperty({ description: 'Records reported in the period' }) reported: number;
  @ApiProperty({ description: 'Of which new' }) created: number;
  @ApiProperty({ description: 'Of the records reported, those the Standing Agency approved (reviewStatus APPROVED)' }) approved: number;
}

class TasksByDeadlineRowView {
  @ApiProperty() unit: string;
  @ApiProperty() green: number;
  @ApiProperty() yellow: number;
  @ApiProperty() red: number;
  @ApiProperty() total: number;
}

class KpiResultRowView {
  @ApiProperty() period: string;
  @ApiProperty() indicatorCode: string;
  @ApiProperty() indicatorName: string;
  @ApiProperty() reportingAgency: string;
  @ApiProperty() unitOfMeasure: string;
  @ApiProperty({ type: String, nullable: true }) target: string | null;
  @ApiProperty() periodResult: string;
  @ApiProperty({ type: String, nullable: true }) cumulativeResult: string | null;
}

class RefusalRowView {
  @ApiProperty({ example: 'QUOTA_EXCEEDED' }) errorCode: string;
  @ApiProperty({ description: 'In Vietnamese' }) reason: string;
  @ApiProperty() statusCode: number;
  @ApiProperty() count: number;
}

class SuspensionRowView {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() connectionName: string;
  @ApiProperty() unit: string;
  @ApiProperty() reasonCode: string;
  @ApiProperty({ enum: ['automatic', 'manual'] }) trigger: string;
  @ApiProperty({ format: 'date-time' }) suspendedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) restoredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: '24 hours after the remediation report was accepted' }) restoreDeadline: string | null;
  @ApiProperty({ enum: CLOCKS, description: CLOCK_DESCRIPTION }) restoreClock: string;
}

class IncidentRowView {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) connectionId: string | null;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
  @ApiProperty() reasonCode: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null until classified' }) severity: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty({ enum: CLOCKS, description: '30 minutes' }) classification: string;
  @ApiProperty({ enum: CLOCKS, description: '2 hours' }) reportToAuthority: string;
  @ApiProperty({ enum: CLOCKS, description: '24 hours' }) officialReport: string;
  @ApiProperty({ enum: CLOCKS, description: '7 working days' }) review: string;
}

class ConnectionRowView {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() connectionName: string;
  @ApiProperty() unit: string;
  @ApiProperty() calls: number;
  @ApiProperty() succeeded: number;
  @ApiProperty({ description: '4xx answers' }) refused: number;
  @ApiProperty({ description: '5xx answers' }) failed: number;
  @ApiProperty() reads: number;
  @ApiProperty() writes: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of calls served without a gateway error; null without calls' }) availabilityPercent: number | null;
}

class ReportSectionsView {
  @ApiProperty({ type: [RecordsRowView] }) records: RecordsRowView[];
  @ApiProperty({ type: [TasksByDeadlineRowView] }) tasksByDeadline: TasksByDeadlineRowView[];
  @ApiProperty({ type: [KpiResultRowView] }) kpiResults: KpiResultRowView[];
  @ApiProperty({ type: [RefusalRowView] }) refusals: RefusalRowView[];
  @ApiProperty({ type: [SuspensionRowView] }) suspensions: SuspensionRowView[];
  @ApiProperty({ type: [IncidentRowView] }) incidents: IncidentRowView[];
  @ApiProperty({ type: [ConnectionRowView] }) connections: ConnectionRowView[];
}

export class PeriodicReportView {
  @ApiProperty() title: string;
  @ApiProperty({ type: ReportPeriodView }) period: ReportPeriodView;
  @ApiProperty({ enum: ['production', 'test'] }) environment: string;
  @ApiProperty({ type: String, nullable: true, description: 'The unit the report is limited to' }) unit: string | null;
  @ApiProperty({ enum: DATA_SETS, nullable: true, description: 'The data set the report is limited to' }) dataSet: string | null;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ enum: ['approved only'], description: 'Only approved results are aggregated (III.1.e): KPI results once approved; a task\'s reported completion once approved' }) approvals: string;
  @ApiProperty({ type: [String] }) notes: string[];
  @ApiProperty({ type: ReportSectionsView }) sections: ReportSectionsView;
}

export class ScheduledReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-Q3' }) period: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

/** The JSON answer is the report itself; this only checks, at compile time, that the views cover its type. */
export const asReportView = (report: PeriodicReport): PeriodicReportView => report satisfies PeriodicReportView;
