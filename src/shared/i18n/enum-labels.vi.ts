import { UNIT_KIND_LABELS } from '../../units/unit-register-seed.js';
import { SEVERITY_LABELS_VI } from './messages.vi.js';

/**
 * The guidance's Vietnamese words for every value set the gateway's API uses. The OpenAPI
 * documents carry them as `x-enum-descriptions` (openapi-document.ts), in the order of the enum,
 * so that a generated client or the console shows "Đang thực hiện", not IN_PROGRESS.
 *
 * One vocabulary per value set; where two sets share a word (`rejected` of a batch item and of an
 * audit entry), each set is matched as a whole against the vocabularies in this order, and the
 * first that names every value of the set labels it. A test fails when a set has no vocabulary.
 */
export const VIETNAMESE_VOCABULARIES: ReadonlyArray<Readonly<Record<string, string>>> = [
  // Appendix II, part II: the data sets' own values.
  { COMPLETED: 'Đã hoàn thành', IN_PROGRESS: 'Đang thực hiện', NOT_STARTED: 'Chưa thực hiện' },
  { ON_TIME: 'Đúng hạn', DUE_SOON: 'Sắp đến hạn', OVERDUE: 'Quá hạn', COMPLETED_LATE: 'Hoàn thành quá hạn' },
  { GREEN: 'Xanh', YELLOW: 'Vàng', RED: 'Đỏ' },
  { MONTH: 'Tháng', QUARTER: 'Quý', HALF_YEAR: '6 tháng', YEAR: 'Năm', AD_HOC: 'Đột xuất' },
  { UNCLASSIFIED: 'Không mật', CONFIDENTIAL: 'Mật', SECRET: 'Tối mật', TOP_SECRET: 'Tuyệt mật' },
  { NONE: 'Không được biết bản ghi mật', CONFIDENTIAL: 'Được biết bản ghi Mật', SECRET: 'Được biết bản ghi Mật và Tối mật' },
  { created: 'Đã tạo mới', updated: 'Đã cập nhật', unchanged: 'Không thay đổi', rejected: 'Bị từ chối' },
  // Data authority (Appendix I; III.1.c): before the lifecycle's words, which share APPROVED/RETURNED.
  { PENDING: 'Chờ thẩm định', APPROVED: 'Đã phê duyệt', RETURNED: 'Từ chối phê duyệt, yêu cầu giải trình' },
  { OPEN: 'Đang phản hồi về việc giao', ANSWERED: 'Đã trả lời phản hồi' },
  { ASSIGNER: 'Cơ quan giao nhiệm vụ (Cơ quan Thường trực)', REPORTER: 'Đơn vị thực hiện, báo cáo', READER: 'Chỉ khai thác dữ liệu' },
  { write: 'Ghi dữ liệu', revoke: 'Thu hồi', receipt: 'Xác nhận tiếp nhận', dispute: 'Phản hồi về việc giao', review: 'Thẩm định' },
  // Appendix III.III: incident levels and response steps.
  SEVERITY_LABELS_VI,
  {
    REPORTED_TO_AUTHORITY: 'Đã báo cáo cơ quan có thẩm quyền (2 giờ)',
    OFFICIAL_REPORT_SENT: 'Đã gửi văn bản báo cáo chính thức (24 giờ)',
    REVIEW_WRITTEN: 'Đã có báo cáo rút kinh nghiệm (7 ngày làm việc)',
    CLOSED: 'Đã kết thúc xử lý',
  },
  // Appendix II, part I: the connection lifecycle.
  {
    SUBMITTED: 'Đã gửi hồ sơ đăng ký',
    RETURNED: 'Trả lại để hoàn thiện hồ sơ',
    APPROVED: 'Đã thẩm định, chấp thuận',
    AGREEMENT_SIGNED: 'Đã ký biên bản thỏa thuận kết nối',
    TESTING: 'Đang thử nghiệm',
    TEST_PASSED: 'Thử nghiệm đạt yêu cầu',
    GO_LIVE_SCHEDULED: 'Chờ đến ngày vận hành chính thức',
    LIVE: 'Đang vận hành chính thức',
    SUSPENDED: 'Đang tạm dừng kết nối',
    RETESTING: 'Đang thử nghiệm lại',
    TERMINATED: 'Đã chấm dứt kết nối',
  },
  {
    APPRAISAL: 'Thẩm định hồ sơ',
    AGREEMENT: 'Ký biên bản thỏa thuận kết nối',
    CONFIGURATION: 'Cấu hình kỹ thuật, cấp chứng thư thử nghiệm',
    TEST_CONFIRMATION: 'Xác nhận kết quả thử nghiệm',
    GO_LIVE: 'Đưa vào vận hành chính thức',
    RE_EVALUATION: 'Đánh giá lại định kỳ',
    CERTIFICATE_EXPIRY: 'Chứng thư số sắp hết hạn',
    REMEDIATION_DECISION: 'Xem xét báo cáo khắc phục',
    RESTORATION: 'Khôi phục kết nối trong 24 giờ',
  },
  { APPROVE: 'Chấp thuận', RETURN: 'Trả lại, yêu cầu hoàn thiện' },
  // How a control-plane session was opened (GET /auth/sessions).
  { cookie: 'Bảng điều khiển (trình duyệt)', bearer: 'Chương trình (mã truy cập)' },
  // Step 7 and IV.5.e: what a minutes record is.
  {
    MAINTENANCE: 'Biên bản giám sát, bảo trì',
    SPOT_CHECK: 'Biên bản kiểm tra đột xuất tại điểm kết nối (IV.5.e)',
    ASSESSMENT_REQUESTED: 'Yêu cầu gửi hồ sơ đánh giá an toàn thông tin hằng năm (IV.5.e)',
    ASSESSMENT_DOSSIER: 'Hồ sơ đánh giá an toàn thông tin hằng năm đã nhận (IV.5.e)',
  },
  { CONDITIONS_MET: 'Đáp ứng điều kiện kết nối', CONDITIONS_NOT_MET: 'Không đáp ứng điều kiện kết nối' },
  { SUSPEND: 'Tạm dừng kết nối', DEADLINE: 'Yêu cầu khắc phục trong thời hạn' },
  { SATISFACTORY: 'Đạt yêu cầu bảo đảm an ninh', UNSATISFACTORY: 'Không đạt yêu cầu bảo đảm an ninh' },
  { PASS: 'Đạt', FAIL: 'Không đạt' },
  { ACCEPT: 'Chấp nhận, khôi phục kết nối', RECOMMEND: 'Kiến nghị tiếp tục khắc phục' },
  { 'task-results': 'Kết quả thực hiện nhiệm vụ', 'kpi-results': 'Kết quả thực hiện bộ chỉ số' },
  { push: 'Gửi dữ liệu', pull: 'Nhận dữ liệu' },
  { test: 'Môi trường thử nghiệm', production: 'Môi trường chính thức' },
  {
    UNIT_ADMIN: 'Quản trị viên của đơn vị kết nối',
    DTD_REVIEWER: 'Cán bộ thẩm định (Cục Chuyển đổi số - Cơ yếu)',
    SECURITY_OFFICER: 'Cán bộ an ninh mạng',
    AUDITOR: 'Cán bộ kiểm tra, thanh tra',
    SYSTEM_ADMIN: 'Quản trị hệ thống',
  },
  { TOTP: 'Mã xác thực một lần (ứng dụng xác thực)', CLIENT_CERTIFICATE: 'Chứng thư số cá nhân' },
  // How a session is delivered: in the answer (an API client) or as an HttpOnly cookie (the console).
  { Bearer: 'Mã phiên trả trong nội dung phản hồi', Cookie: 'Mã phiên lưu trong cookie của trình duyệt' },
  { LEFT: 'Nghỉ việc, chuyển công tác', CHANGED_POST: 'Thay đổi vị trí công tác' },
  { PENDING: 'Đang chờ gửi', RETRYING: 'Đang gửi lại', DELIVERED: 'Đã gửi', GAVE_UP: 'Đã dừng gửi' },
  // Periodic reports (Appendix I step 8, III.1.e).
  { json: 'JSON', xlsx: 'Bảng tính Excel (XLSX)', csv: 'Tệp CSV' },
  {
    records: 'Số bản ghi báo cáo',
    tasksByDeadline: 'Nhiệm vụ theo màu thời hạn',
    kpiResults: 'Kết quả thực hiện bộ chỉ số',
    refusals: 'Yêu cầu bị từ chối và lý do',
    suspensions: 'Tạm dừng kết nối',
    incidents: 'Sự cố và thời hạn xử lý',
    connections: 'Kết nối: lưu lượng và mức phục vụ',
  },
  // A report's clocks and suspension triggers, worded as its sheets word them (report-sections.ts).
  { MET: 'Đạt', MISSED: 'Không đạt', PENDING: 'Chưa đến hạn', OVERDUE: 'Quá hạn, chưa thực hiện', NOT_APPLICABLE: 'Không áp dụng' },
  { automatic: 'Tự động', manual: 'Thủ công' },
  { HOLIDAY: 'Ngày nghỉ (lễ, Tết, nghỉ bù)', WORKDAY: 'Ngày làm bù' },
  // The unit register (src/units/unit-register-seed.ts).
  UNIT_KIND_LABELS,
  { CREATE: 'Thêm đơn vị', RENAME: 'Đổi tên đơn vị', MERGE: 'Sáp nhập, hợp nhất đơn vị' },
  // The audit log (IV.4).
  { success: 'Thành công', rejected: 'Bị từ chối', failed: 'Lỗi hệ thống' },
  // The order of a list a person or a script reads (the inbox).
  { oldest: 'Cũ nhất trước', newest: 'Mới nhất trước' },
  { data: 'Kênh trao đổi dữ liệu', control: 'Kênh quản trị' },
  {
    missing: 'Thiếu bản ghi',
    duplicate: 'Bản ghi trùng lặp',
    'chain-broken': 'Đứt chuỗi băm',
    altered: 'Bản ghi bị sửa đổi',
    'out-of-order': 'Sai thứ tự',
    'checkpoint-signature': 'Chữ ký điểm niêm phong không hợp lệ',
    'checkpoint-invalid': 'Điểm niêm phong không hợp lệ',
    'checkpoint-gap': 'Có khoảng trống giữa các điểm niêm phong',
    'checkpoint-mismatch': 'Điểm niêm phong không khớp nhật ký',
    'checkpoint-journal': 'Nhật ký niêm phong ngoài cơ sở dữ liệu không khớp',
  },
  // IV.5.c: the unit's remediation report and DTD's answer.
  { SUBMITTED: 'Đã nộp báo cáo khắc phục', RECOMMENDATIONS: 'Có kiến nghị, tiếp tục khắc phục', ACCEPTED: 'Đã chấp nhận, chờ thử nghiệm lại', RESTORED: 'Đã khôi phục kết nối' },
  // Who opened an incident.
  { DETECTOR: 'Hệ thống giám sát tự phát hiện', SECURITY_OFFICER: 'Cán bộ an ninh mạng', UNIT_REPORT: 'Đơn vị kết nối báo cáo' },
];

/** Single-value and boolean enums are protocol constants (`Bearer`, `client_credentials`), not words. */
export function needsLabels(values: readonly unknown[]): boolean {
  return values.length > 1 && !values.every((v) => v === 'true' || v === 'false' || typeof v === 'boolean');
}

/** The Vietnamese labels of a value set, in its order; undefined when no vocabulary names every value. */
export function vietnameseLabelsOf(values: readonly unknown[]): string[] | undefined {
  const vocabulary = VIETNAMESE_VOCABULARIES.find((v) => values.every((value) => typeof value === 'string' && value in v));
  return vocabulary ? values.map((value) => vocabulary[value as string]) : undefined;
}

/** Adds `x-enum-descriptions` (Vietnamese) beside every labelled `enum` of an OpenAPI document. */
export function labelEnums<T>(document: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (Array.isArray(object.enum) && needsLabels(object.enum)) {
      const labels = vietnameseLabelsOf(object.enum);
      if (labels) object['x-enum-descriptions'] = labels;
    }
    Object.values(object).forEach(visit);
  };
  visit(document);
  return document;
}
