// Shared with the console's reports screen (console/src/screens/reports): type imports only here,
// and the words of messages.vi.ts (no imports of its own, in the console's bundle already), so
// that nothing of the server reaches the browser's bundle.
import { reasonLabelVi, SEVERITY_LABELS_VI } from '../shared/i18n/messages.vi.js';
import type { ReportPeriod } from './report-period.js';

/** A clock of Appendix III.III or IV.5.c: met, missed, still running, or running late. */
export type ClockOutcome = 'MET' | 'MISSED' | 'PENDING' | 'OVERDUE' | 'NOT_APPLICABLE';

export const CLOCK_TEXT: Record<ClockOutcome, string> = {
  MET: 'Đạt',
  MISSED: 'Không đạt',
  PENDING: 'Chưa đến hạn',
  OVERDUE: 'Quá hạn, chưa thực hiện',
  NOT_APPLICABLE: 'Không áp dụng',
};

export interface PeriodicReport {
  title: string;
  period: ReportPeriod;
  environment: string;
  unit: string | null;
  dataSet: string | null;
  generatedAt: string;
  /** Only approved results are aggregated (III.1.e): see PeriodicReportService.build. */
  approvals: 'approved only';
  notes: string[];
  sections: {
    records: Array<{ dataSet: string; unit: string; reported: number; created: number; approved: number }>;
    tasksByDeadline: Array<{ unit: string; green: number; yellow: number; red: number; total: number }>;
    kpiResults: Array<{ period: string; indicatorCode: string; indicatorName: string; reportingAgency: string; unitOfMeasure: string; target: string | null; periodResult: string; cumulativeResult: string | null }>;
    refusals: Array<{ errorCode: string; reason: string; statusCode: number; count: number }>;
    suspensions: Array<{ connectionId: string; connectionName: string; unit: string; reasonCode: string; trigger: 'automatic' | 'manual'; suspendedAt: string; restoredAt: string | null; restoreDeadline: string | null; restoreClock: ClockOutcome }>;
    incidents: Array<{ incidentId: string; connectionId: string | null; unit: string | null; reasonCode: string; severity: string | null; openedAt: string; classification: ClockOutcome; reportToAuthority: ClockOutcome; officialReport: ClockOutcome; review: ClockOutcome }>;
    connections: Array<{ connectionId: string; connectionName: string; unit: string; calls: number; succeeded: number; refused: number; failed: number; reads: number; writes: number; availabilityPercent: number | null }>;
  };
}

export type SectionKey = keyof PeriodicReport['sections'];

interface Column {
  key: string;
  header: string;
  width?: number;
  /** How the value reads in a spreadsheet (default: as it is). */
  text?: (value: unknown) => string | number | null;
}

const clock = (value: unknown) => CLOCK_TEXT[value as ClockOutcome] ?? String(value);
/** A reason in words; a code an officer typed that has none, as typed. */
const reason = (value: unknown) => reasonLabelVi(String(value));
const severity = (value: unknown) => (value === null || value === undefined ? 'Chưa phân loại' : (SEVERITY_LABELS_VI[String(value)] ?? String(value)));

/** Each section's sheet, with Vietnamese headings, in the order of the workbook. */
export const SECTIONS: Record<SectionKey, { sheet: string; columns: Column[] }> = {
  records: {
    sheet: 'Bản ghi báo cáo',
    columns: [
      { key: 'dataSet', header: 'Loại dữ liệu', width: 16, text: (v) => (v === 'task-results' ? 'Nhiệm vụ' : 'Chỉ tiêu KPI') },
      { key: 'unit', header: 'Đơn vị', width: 40 },
      { key: 'reported', header: 'Số bản ghi báo cáo trong kỳ' },
      { key: 'created', header: 'Trong đó: bản ghi mới' },
      { key: 'approved', header: 'Số bản ghi được phê duyệt' },
    ],
  },
  tasksByDeadline: {
    sheet: 'Nhiệm vụ theo tiến độ',
    columns: [
      { key: 'unit', header: 'Đơn vị chủ trì', width: 40 },
      { key: 'green', header: 'Xanh (đúng hạn)' },
      { key: 'yellow', header: 'Vàng (sắp đến hạn)' },
      { key: 'red', header: 'Đỏ (quá hạn, hoàn thành muộn)' },
      { key: 'total', header: 'Tổng số nhiệm vụ' },
    ],
  },
  kpiResults: {
    sheet: 'Kết quả chỉ tiêu',
    columns: [
      { key: 'period', header: 'Kỳ dữ liệu' },
      { key: 'indicatorCode', header: 'Mã chỉ tiêu' },
      { key: 'indicatorName', header: 'Tên chỉ tiêu', width: 50 },
      { key: 'reportingAgency', header: 'Cơ quan báo cáo', width: 40 },
      { key: 'unitOfMeasure', header: 'Đơn vị tính' },
      { key: 'target', header: 'Chỉ tiêu' },
      { key: 'periodResult', header: 'Kết quả kỳ' },
      { key: 'cumulativeResult', header: 'Kết quả lũy kế' },
    ],
  },
  refusals: {
    sheet: 'Từ chối và lý do',
    columns: [
      { key: 'errorCode', header: 'Mã lỗi', width: 28 },
      { key: 'reason', header: 'Lý do', width: 50 },
      { key: 'statusCode', header: 'Mã trạng thái HTTP' },
      { key: 'count', header: 'Số lượt' },
    ],
  },
  suspensions: {
    sheet: 'Tạm dừng kết nối',
    columns: [
      { key: 'connectionName', header: 'Kết nối', width: 30 },
      { key: 'unit', header: 'Đơn vị', width: 40 },
      { key: 'reasonCode', header: 'Lý do', width: 40, text: reason },
      { key: 'trigger', header: 'Hình thức', text: (v) => (v === 'automatic' ? 'Tự động' : 'Thủ công') },
      { key: 'suspendedAt', header: 'Thời điểm tạm dừng', width: 26 },
      { key: 'restoredAt', header: 'Thời điểm khôi phục', width: 26 },
      { key: 'restoreDeadline', header: 'Hạn khôi phục (24 giờ sau chấp thuận)', width: 26 },
      { key: 'restoreClock', header: 'Khôi phục đúng hạn', width: 24, text: clock },
    ],
  },
  incidents: {
    sheet: 'Sự cố',
    columns: [
      { key: 'incidentId', header: 'Mã sự cố', width: 38 },
      { key: 'unit', header: 'Đơn vị', width: 40 },
      { key: 'reasonCode', header: 'Lý do', width: 40, text: reason },
      { key: 'severity', header: 'Mức độ', width: 20, text: severity },
      { key: 'openedAt', header: 'Thời điểm phát hiện', width: 26 },
      { key: 'classification', header: 'Phân loại (30 phút)', width: 24, text: clock },
      { key: 'reportToAuthority', header: 'Báo cáo cơ quan có thẩm quyền (2 giờ)', width: 24, text: clock },
      { key: 'officialReport', header: 'Văn bản báo cáo chính thức (24 giờ)', width: 24, text: clock },
      { key: 'review', header: 'Rút kinh nghiệm (7 ngày làm việc)', width: 24, text: clock },
    ],
  },
  connections: {
    sheet: 'Kết nối',
    columns: [
      { key: 'connectionName', header: 'Kết nối', width: 30 },
      { key: 'unit', header: 'Đơn vị', width: 40 },
      { key: 'calls', header: 'Tổng số lượt gọi' },
      { key: 'succeeded', header: 'Thành công' },
      { key: 'refused', header: 'Bị từ chối (4xx)' },
      { key: 'failed', header: 'Lỗi phía cổng (5xx)' },
      { key: 'reads', header: 'Lượt đọc' },
      { key: 'writes', header: 'Lượt ghi' },
      { key: 'availabilityPercent', header: 'Tỷ lệ phục vụ (%)' },
    ],
  },
};

export const SECTION_KEYS = Object.keys(SECTIONS) as SectionKey[];

/** A row as the sheet or CSV shows it. */
export function displayRow(section: SectionKey, row: Record<string, unknown>): Array<string | number | null> {
  return SECTIONS[section].columns.map((c) => (c.text ? c.text(row[c.key]) : (row[c.key] as string | number | null) ?? null));
}

/** Vietnamese reasons for the refusal codes a connected system meets most. */
export const REFUSAL_REASONS: Record<string, string> = {
  QUOTA_EXCEEDED: 'Vượt hạn mức số lượt gọi',
  OUTSIDE_READ_SCOPE: 'Đọc dữ liệu ngoài phạm vi thỏa thuận',
  OUTSIDE_WRITE_SCOPE: 'Ghi dữ liệu ngoài phạm vi thỏa thuận',
  OUTSIDE_AGREED_SCOPE: 'Ngoài phạm vi thỏa thuận kết nối',
  CONNECTION_SUSPENDED: 'Kết nối đang bị tạm dừng',
  CONNECTION_NOT_ACTIVE: 'Kết nối chưa hoặc không còn hoạt động',
  TOKEN_MISSING: 'Thiếu mã truy cập',
  TOKEN_INVALID: 'Mã truy cập không hợp lệ',
  TOKEN_EXPIRED: 'Mã truy cập hết hạn',
  TOKEN_CERTIFICATE_MISMATCH: 'Mã truy cập không khớp chứng thư số',
  CERTIFICATE_REVOKED: 'Chứng thư số đã bị thu hồi',
  CERTIFICATE_EXPIRED: 'Chứng thư số đã hết hạn',
  UNKNOWN_CERTIFICATE: 'Chứng thư số không có trong sổ đăng ký',
  VALIDATION_FAILED: 'Dữ liệu không hợp lệ',
  STALE_VERSION: 'Phiên bản dữ liệu đã cũ',
  NOT_FOUND: 'Không tìm thấy',
  DATABASE_UNAVAILABLE: 'Cơ sở dữ liệu tạm thời không sẵn sàng',
  AUDIT_UNAVAILABLE: 'Không ghi được nhật ký kiểm toán',
  SHUTTING_DOWN: 'Cổng đang dừng',
  ATTACK_SIGNATURE: 'Nghi tấn công (mẫu nguy hiểm)',
};
