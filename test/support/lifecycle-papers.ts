import crypto from 'node:crypto';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';

/**
 * The papers of the connection lifecycle (Appendix II, part I) as a unit and DTD file them: plain
 * data, no harness, so that controller specs and end-to-end suites share one version of each.
 */

export const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(500), Buffer.from('\n%%EOF\n')]);

/** Today and other days as the gateway counts them (its TIMEZONE, Vietnam by default). */
export const todayInVietnam = () => new WorkingCalendar('Asia/Ho_Chi_Minh').today();
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The unit's official request letter (step 1): số, ngày, người ký, and its scan. */
export const requestLetter = (documentId: string) => ({ number: '123/BTC-CNTT', date: todayInVietnam(), signedBy: 'Thứ trưởng Nguyễn Văn E', documentId });

/** The competent body's security check (IV.5.đ), satisfactory unless overridden. */
export const securityCheck = (documentId: string, overrides: Record<string, unknown> = {}) => ({
  checkedBy: 'Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05)',
  checkedOn: todayInVietnam(),
  result: 'SATISFACTORY',
  findings: 'Hệ thống đáp ứng yêu cầu bảo đảm an ninh mạng',
  documentId,
  ...overrides,
});

/** The leadership decision an approving appraisal reports (step 2). */
export const leadershipDecision = (documentId: string) => ({ decidedBy: 'Phó Chánh Văn phòng Trung ương Đảng Trần Văn F', decidedOn: todayInVietnam(), number: '456-QĐ/VPTW', documentId });

/** Step 5's report: every area passed unless overridden. */
export const testReport = (documentId: string, overrides: Partial<Record<'functional' | 'performance' | 'security', { result: string; notes: string }>> = {}) => ({
  documentId,
  results: {
    functional: { result: 'PASS', notes: 'Gửi, nhận đủ hai bộ dữ liệu' },
    performance: { result: 'PASS', notes: '600 lượt đọc mỗi phút, độ trễ dưới 1 giây' },
    security: { result: 'PASS', notes: 'mTLS, từ chối chứng thư lạ' },
    ...overrides,
  },
});

/** The unit's 24/7 incident contact, given at go-live (step 6). */
export const incidentContact = { name: 'Trực ban an ninh mạng Bộ Tài chính', phone: '+84 24 2220 2828', email: 'truc-ban@mof.gov.vn' };

export const dossier = (securityAssessmentDocumentId: string) => ({
  dataScope: 'Kết quả thực hiện nhiệm vụ và bộ chỉ số',
  purpose: 'Báo cáo định kỳ lên Hệ thống theo dõi, đánh giá',
  systemDescription: 'Hệ thống quản lý nhiệm vụ nội bộ',
  securityLevel: 3,
  technicalContact: { name: 'Nguyễn Văn A', email: 'a@example.gov.vn', phone: '+84 24 1234 5678' },
  businessContact: { name: 'Trần Thị B', email: 'b@example.gov.vn', phone: '+84 24 8765 4321' },
  securityAssessmentDocumentId,
  requestLetter: requestLetter(securityAssessmentDocumentId),
});

/** Step 3's signed minutes; `overrides.documentId` names the uploaded scan (onboardToTesting gives one). */
export const agreementFor = (unit: string, overrides: Record<string, unknown> = {}) => ({
  scope: { dataSets: ['task-results', 'kpi-results'], directions: ['push', 'pull'], writeUnits: [unit], readUnits: [unit] },
  dataFormat: 'JSON theo Phụ lục II, Hướng dẫn 11-HD/VPTW',
  frequency: 'Hằng ngày',
  quotas: { readsPerMinute: 600, writesPerMinute: 120 },
  securityMeasures: 'mTLS, chứng thư số do Cục cấp',
  responsibilities: 'Đơn vị chịu trách nhiệm về dữ liệu cung cấp',
  incidentHandling: 'Báo cáo trong 2 giờ qua đầu mối 24/7',
  signatories: [
    { name: 'Lê Văn C', position: 'Cục trưởng', organisation: 'Cục Chuyển đổi số - Cơ yếu' },
    { name: 'Phạm Văn D', position: 'Chánh Văn phòng', organisation: unit },
  ],
  signedOn: todayInVietnam(),
  ...overrides,
});

