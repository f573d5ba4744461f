/**
 * Vietnamese text beside the English of every error and notification (issue: the guidance's own
 * words for the people who read them). The English `message` stays the detailed one; `messageVi`
 * says what happened and what to do, per stable code. A code without an entry falls back to a
 * sentence for its HTTP status, and a test lists the codes thrown in src/ that have none.
 */
export const ERROR_MESSAGES_VI: Readonly<Record<string, string>> = {
  VALIDATION_FAILED: 'Dữ liệu gửi lên không hợp lệ; đề nghị sửa các trường được liệt kê (mục details)',
  MALFORMED_BODY: 'Nội dung yêu cầu không đọc được (JSON sai cú pháp hoặc rỗng)',
  PAYLOAD_TOO_LARGE: 'Nội dung yêu cầu vượt quá kích thước cho phép',
  UNSUPPORTED_MEDIA_TYPE: 'Kiểu nội dung (Content-Type) không được chấp nhận ở địa chỉ này',
  URI_TOO_LONG: 'Địa chỉ yêu cầu quá dài: một thành phần của đường dẫn vượt quá 100 ký tự',
  MALFORMED_URL: 'Địa chỉ yêu cầu không hợp lệ (mã hóa phần trăm sai)',
  MALFORMED_REQUEST: 'Yêu cầu không đúng giao thức HTTP/1.1 (phương thức, tiêu đề hoặc cách đóng gói)',
  REQUEST_HEADERS_TOO_LARGE: 'Phần tiêu đề của yêu cầu vượt quá kích thước cho phép',
  REQUEST_TIMEOUT: 'Yêu cầu không được gửi đến kịp thời hạn',
  NOT_FOUND: 'Không tìm thấy (trong phạm vi được phép xem)',
  INTERNAL_ERROR: 'Lỗi hệ thống; yêu cầu chưa được ghi nhận, đề nghị thử lại sau',
  DATABASE_UNAVAILABLE: 'Cổng tạm thời không kết nối được cơ sở dữ liệu; yêu cầu chưa được ghi nhận, đề nghị thử lại sau',
  AUDIT_UNAVAILABLE: 'Không ghi được nhật ký hệ thống nên yêu cầu không được xác nhận; đề nghị thử lại sau',
  SHUTTING_DOWN: 'Máy chủ này đang dừng; đề nghị gửi lại yêu cầu',
  QUOTA_EXCEEDED: 'Vượt hạn mức truy cập đã thỏa thuận; thử lại sau thời gian trong Retry-After',
  // Data plane: certificates, tokens, scope.
  CERTIFICATE_REQUIRED: 'Cần chứng thư số máy khách do Cổng cấp',
  CERTIFICATE_EXPIRED: 'Chứng thư số đã hết hạn',
  CERTIFICATE_REVOKED: 'Chứng thư số đã bị thu hồi',
  UNKNOWN_CERTIFICATE: 'Chứng thư số không thuộc kết nối nào đã đăng ký',
  CLIENT_ID_MISMATCH: 'Mã định danh máy khách không khớp với chứng thư số',
  TOKEN_MISSING: 'Thiếu mã truy cập (Authorization: Bearer)',
  TOKEN_INVALID: 'Mã truy cập không hợp lệ',
  TOKEN_EXPIRED: 'Mã truy cập đã hết hạn; đề nghị lấy mã mới',
  TOKEN_CERTIFICATE_MISMATCH: 'Mã truy cập được cấp cho chứng thư số khác',
  CONNECTION_SUSPENDED: 'Kết nối đang bị tạm dừng (IV.5.b); đơn vị gửi báo cáo khắc phục để được khôi phục',
  CONNECTION_NOT_ACTIVE: 'Kết nối chưa được phép trao đổi dữ liệu ở giai đoạn hiện tại',
  OUTSIDE_AGREED_SCOPE: 'Ngoài phạm vi dữ liệu hoặc chiều trao đổi đã thỏa thuận',
  // Data authority (PRODUCT.md §3a): who assigns, who reports, who approves.
  DATA_ROLE_NOT_ALLOWED: 'Vai trò của kết nối theo thỏa thuận (giao nhiệm vụ / báo cáo / chỉ đọc) không cho phép thao tác này',
  FIELD_NOT_OWNED: 'Yêu cầu thay đổi trường dữ liệu thuộc thẩm quyền của bên khác; xem các trường trong details',
  NOT_ASSIGNED: 'Nhiệm vụ/chỉ số chưa được Cơ quan Thường trực giao; đơn vị thực hiện không tự tạo',
  REPORTING_AGENCY_REQUIRED: 'Chỉ số trong kỳ này do nhiều cơ quan báo cáo: cần nêu mã cơ quan thực hiện (reportingAgencyCode)',
  DISPUTE_WINDOW_CLOSED: 'Đã quá 8 giờ làm việc kể từ khi giao; không thể phản hồi về việc giao nhiệm vụ',
  OUTSIDE_WRITE_SCOPE: 'Đơn vị này không thuộc phạm vi được phép gửi dữ liệu của kết nối',
  OUTSIDE_READ_SCOPE: 'Đơn vị này không thuộc phạm vi được phép xem dữ liệu của kết nối',
  RECORD_REVOKED: 'Bản ghi đã bị thu hồi',
  STALE_VERSION: 'Bản ghi đã được thay đổi sau phiên bản trong If-Match; đề nghị đọc lại',
  SOURCE_OR_INPUT_REFUSED: 'Yêu cầu bị từ chối (địa chỉ nguồn hoặc nội dung không được phép)',
  // Control plane: people and sessions.
  INVALID_CREDENTIALS: 'Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng',
  ACCOUNT_LOCKED: 'Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần',
  ENROLMENT_TOKEN_INVALID: 'Phiên đăng ký xác thực hai lớp không hợp lệ hoặc đã hết hạn; đề nghị đăng nhập lại',
  SESSION_MISSING: 'Chưa đăng nhập',
  CSRF_HEADER_MISSING: 'Yêu cầu từ trình duyệt thiếu tiêu đề chống giả mạo (CSRF); đề nghị tải lại trang',
  SESSION_ENDED: 'Phiên làm việc đã kết thúc (đăng xuất hoặc tài khoản bị khóa); đề nghị đăng nhập lại',
  SESSION_INVALID: 'Phiên làm việc không hợp lệ; đề nghị đăng nhập lại',
  SIGN_IN_THROTTLED: 'Quá nhiều lần đăng nhập từ địa chỉ này; đề nghị chờ khoảng 1 phút rồi thử lại',
  TOTP_CODE_REUSED: 'Mã xác thực này đã được dùng; đề nghị chờ mã tiếp theo',
  ACTIVATION_INVALID: 'Mã kích hoạt không đúng hoặc đã hết hạn',
  SESSION_REVOKED: 'Phiên làm việc đã kết thúc; đề nghị đăng nhập lại',
  ACTION_NOT_DECLARED: 'Chức năng này không được phép',
  ROLE_NOT_ALLOWED: 'Vai trò của tài khoản không được thực hiện thao tác này',
  USERNAME_TAKEN: 'Tên đăng nhập đã được sử dụng; đề nghị chọn tên khác',
  NO_DELEGATION: 'Không có ủy quyền hợp lệ',
  DELEGATION_CHAIN: 'Không được ủy quyền tiếp cho người khác',
  DELEGATION_ENDED: 'Ủy quyền đã bị thu hồi hoặc đã hết hạn',
  DELEGATION_ACTIVE: 'Đồng nghiệp này đang được ủy quyền: thu hồi ủy quyền hiện có trước khi cấp ủy quyền mới',
  NOT_YOUR_DELEGATION: 'Chỉ người ủy quyền hoặc quản trị hệ thống được thu hồi ủy quyền này',
  PASSWORD_CHANGE_REQUIRED: 'Mật khẩu đã hết hạn; đề nghị đặt mật khẩu mới trước khi làm việc khác',
  PASSWORD_CHANGED_MEANWHILE: 'Mật khẩu vừa được đổi bởi một yêu cầu khác; đề nghị đăng nhập lại',
  ACCOUNT_DEACTIVATED: 'Tài khoản đã bị vô hiệu hóa (người giữ nghỉ việc hoặc chuyển vị trí công tác)',
  ACCOUNT_ACTIVE: 'Tài khoản đang hoạt động, không cần kích hoạt lại',
  NO_SIGN_IN_CERTIFICATE: 'Tài khoản chưa được cấp chứng thư số đăng nhập; đề nghị cấp trước',
  // Control plane: the lifecycle.
  ILLEGAL_TRANSITION: 'Bước này không thực hiện được ở trạng thái hiện tại của kết nối',
  CONNECTION_NOT_FOUND: 'Không tìm thấy kết nối',
  CONNECTION_REQUIRED: 'Cần chỉ rõ kết nối',
  CSR_MISSING: 'Đơn vị chưa gửi yêu cầu cấp chứng thư số (CSR)',
  CSR_REFUSED: 'Không dùng được yêu cầu cấp chứng thư số (CSR): cần CSR định dạng PEM (PKCS#10) từ khóa RSA 2048 bit trở lên',
  NOTHING_EXCHANGED_IN_TEST: 'Chưa có dữ liệu nào được trao đổi trong môi trường thử nghiệm; chưa thể xác nhận kết quả thử nghiệm. Đề nghị gửi, nhận dữ liệu thử bằng chứng thư số thử nghiệm, tải lại trang rồi xác nhận',
  NOT_YET_LIVE: 'Kết nối chưa đến ngày vận hành chính thức đã thỏa thuận',
  KEY_REUSED: 'Khóa này đã được dùng cho chứng thư số khác của kết nối; đề nghị tạo cặp khóa mới',
  SUSPICIOUS_INPUT: 'Yêu cầu chứa mẫu tấn công nên bị từ chối và được ghi nhận',
  STEP_OUT_OF_ORDER: 'Các bước xử lý sự cố phải thực hiện theo thứ tự',
  SECURITY_CHECK_MISSING: 'Chưa có kết quả kiểm tra an ninh của cơ quan có thẩm quyền (IV.5.đ); chưa thể chấp thuận',
  SECURITY_CHECK_UNSATISFACTORY: 'Kết quả kiểm tra an ninh của cơ quan có thẩm quyền không đạt; không thể chấp thuận',
  TEST_REPORT_MISSING: 'Chưa có biên bản kết quả thử nghiệm để xác nhận',
  TEST_REPORT_INCOMPLETE: 'Biên bản thử nghiệm chưa đạt hoặc chưa được hai bên xác nhận; chưa thể vận hành chính thức',
  // Control plane: security and incidents.
  NOT_SUSPENDABLE: 'Kết nối ở trạng thái không thể tạm dừng',
  NOT_SUSPENDED: 'Kết nối không ở trạng thái tạm dừng',
  NO_SUSPENSION_RECORD: 'Không có hồ sơ tạm dừng của kết nối',
  JUSTIFICATION_REQUIRED: 'Cần nêu lý do',
  SUMMARY_REQUIRED: 'Cần mô tả tóm tắt',
  INVALID_REASON_CODE: 'Mã lý do không hợp lệ',
  INVALID_SEVERITY: 'Mức độ sự cố không hợp lệ',
  INVALID_STEP: 'Bước xử lý sự cố không hợp lệ',
  STEP_DOCUMENT_REQUIRED: 'Bước báo cáo này cần kèm văn bản: số, ngày, nơi nhận và tệp đã tải lên',
  STEP_ALREADY_DONE: 'Bước xử lý này đã được ghi nhận',
  NOT_CLASSIFIED: 'Cần phân loại mức độ sự cố trước',
  NOT_A_UNIT_REPORT: 'Chỉ sự cố do đơn vị thông báo mới nhận báo cáo chính thức của đơn vị',
  UNIT_REPORT_ALREADY_FILED: 'Đơn vị đã gửi báo cáo chính thức về sự cố này',
  INCIDENT_NOT_FOUND: 'Không tìm thấy sự cố',
  REPORT_PENDING: 'Đã có báo cáo khắc phục đang chờ xem xét',
  ALREADY_DECIDED: 'Báo cáo này đã có kết luận',
  NOT_ACCEPTED: 'Báo cáo khắc phục chưa được chấp nhận',
  FILE_MACROS_REFUSED: 'Tệp có chứa macro nên không được chấp nhận (IV.5.a)',
  FILE_ARCHIVE_REFUSED: 'Tệp nén bị hỏng, có mật khẩu hoặc giải nén quá lớn (nghi bom nén) nên không được chấp nhận',
  FILE_MALWARE_FOUND: 'Phần mềm quét phát hiện mã độc trong tệp',
  FILE_SCANNER_UNAVAILABLE: 'Chưa quét được mã độc của tệp; tệp không được lưu, đề nghị gửi lại sau',
  WEBHOOK_TARGET_REFUSED: 'Địa chỉ webhook không được chấp nhận (chỉ https, không trỏ vào mạng nội bộ)',
  // Control plane: the unit register.
  UNIT_CODE_TAKEN: 'Mã đơn vị đã có trong danh mục đơn vị',
  UNIT_NOT_IN_FORCE: 'Đơn vị không còn hiệu lực (đã sáp nhập hoặc giải thể); thao tác trên đơn vị kế thừa',
};

const BY_STATUS_VI: Readonly<Record<number, string>> = {
  400: 'Yêu cầu không hợp lệ',
  401: 'Chưa xác thực hoặc xác thực không hợp lệ',
  403: 'Không được phép',
  404: 'Không tìm thấy',
  405: 'Phương thức không được hỗ trợ',
  409: 'Xung đột với trạng thái hiện tại',
  413: 'Nội dung quá lớn',
  414: 'Địa chỉ yêu cầu quá dài',
  415: 'Kiểu nội dung không được chấp nhận',
  422: 'Nội dung không được chấp nhận',
  429: 'Quá nhiều yêu cầu; đề nghị thử lại sau',
  500: 'Lỗi hệ thống',
  503: 'Dịch vụ tạm thời không sẵn sàng; đề nghị thử lại sau',
};

export function errorMessageVi(code: string | undefined, status: number): string {
  return (code && ERROR_MESSAGES_VI[code]) ?? BY_STATUS_VI[status] ?? (status >= 500 ? BY_STATUS_VI[500] : BY_STATUS_VI[400]);
}

/**
 * Suspension and incident reason codes in words: the detector's (security/reason-codes.ts), the
 * ones a unit reports an incident with, and the officers' usual manual ones. A code an officer
 * typed that is not here is shown as typed (reasonLabelVi).
 */
export const REASON_LABELS_VI: Readonly<Record<string, string>> = {
  MANUAL_CUT_OFF: 'Ngắt kết nối thủ công',
  CREDENTIALS_COMPROMISED: 'Mất kiểm soát thông tin xác thực',
  DATA_LEAK: 'Lộ lọt dữ liệu',
  DATA_LEAK_SUSPECTED: 'Nghi lộ lọt dữ liệu',
  ATTACK_DETECTED: 'Phát hiện tấn công',
  PROBE_SUSPECTED: 'Nghi dò quét hệ thống',
  QUERY_SPIKE: 'Số lượng truy vấn tăng đột biến',
  UNKNOWN_SOURCE_ADDRESS: 'Truy cập từ địa chỉ không có trong thỏa thuận',
  ATTACK_SIGNATURE: 'Yêu cầu mang dấu hiệu tấn công',
  AUTHENTICATION_FAILURES: 'Xác thực thất bại nhiều lần',
  PATH_SCANNING: 'Dò quét đường dẫn',
  REPEATED_SCOPE_VIOLATIONS: 'Nhiều lần truy cập ngoài phạm vi thỏa thuận',
  SUSTAINED_QUOTA_EXCESS: 'Vượt hạn mức kéo dài',
};

export function reasonLabelVi(code: string): string {
  return REASON_LABELS_VI[code] ?? code;
}

/** An incident's severity (Appendix III.III, step 2) in the guidance's words. */
export const SEVERITY_LABELS_VI: Readonly<Record<string, string>> = { INFORMATION: 'Thông tin', WARNING: 'Cảnh báo', MEDIUM: 'Sự cố trung bình', SERIOUS: 'Sự cố nghiêm trọng' };

/** A calendar day (`2027-01-31`) as written in Vietnamese documents: 31/01/2027; anything else as it is. */
export function dayVi(value: unknown): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
  return day ? `${day[3]}/${day[2]}/${day[1]}` : String(value);
}

/** The unit's inbox in Vietnamese: what happened to its connection and what it should do next. */
export const NOTIFICATION_MESSAGES_VI: Readonly<Record<string, (data: Record<string, unknown>) => string>> = {
  RETURNED: () => 'Hồ sơ đăng ký kết nối được trả lại để hoàn thiện; xem lý do và gửi lại',
  APPROVED: () => 'Hồ sơ đăng ký kết nối đã được thẩm định, chấp thuận',
  AGREEMENT_RECORDED: () => 'Biên bản thỏa thuận kết nối đã được ghi nhận',
  CONFIGURED: () => 'Kết nối đã được cấu hình; đơn vị có thể bắt đầu thử nghiệm',
  CERTIFICATE_ISSUED: () => 'Chứng thư số đã được cấp; đề nghị tải về và cài đặt',
  CERTIFICATE_EXPIRING: (d) => `Chứng thư số sắp hết hạn${d.expiresOn ? ` (${dayVi(d.expiresOn)})` : ''}; đề nghị gửi yêu cầu cấp mới (CSR)`,
  CERTIFICATE_REVOKED: () => 'Chứng thư số đã bị thu hồi',
  TEST_PASSED: () => 'Kết quả thử nghiệm đã được hai bên xác nhận',
  LIVE: () => 'Kết nối đã được đưa vào vận hành chính thức',
  GO_LIVE_SCHEDULED: (d) => `Kết nối sẽ vận hành chính thức từ ngày đã thỏa thuận${d.goLiveDate ? ` (${dayVi(d.goLiveDate)})` : ''}`,
  RE_EVALUATION_DUE: (d) => `Sắp đến hạn đánh giá lại điều kiện kết nối hằng năm${d.due ? ` (${dayVi(d.due)})` : ''}; đề nghị chuẩn bị hồ sơ đánh giá an toàn`,
  RE_EVALUATED: (d) =>
    d.consequence === 'DEADLINE'
      ? `Kết quả đánh giá lại: chưa đáp ứng điều kiện kết nối; đề nghị khắc phục trước ngày ${dayVi(d.remedyDeadline)}`
      : d.consequence === 'SUSPEND'
        ? 'Kết quả đánh giá lại: chưa đáp ứng điều kiện kết nối; kết nối bị tạm dừng'
        : 'Đã có kết quả đánh giá lại điều kiện kết nối',
  REMEDY_DEADLINE_DUE: (d) => `Đã đến hạn khắc phục điều kiện kết nối${d.due ? ` (${dayVi(d.due)})` : ''}; đề nghị báo cáo Cục kết quả khắc phục`,
  TERMINATED: () => 'Kết nối đã chấm dứt',
  SUSPENDED: (d) =>
    `Kết nối bị tạm dừng${d.reasonCode ? `, lý do: ${reasonLabelVi(String(d.reasonCode))}` : ''} (điểm b khoản 5 mục IV); đề nghị khắc phục và gửi báo cáo khắc phục để được khôi phục (điểm c khoản 5 mục IV)`,
  RESTORED: (d) => `Kết nối đã được khôi phục${d.late ? ' (sau thời hạn 24 giờ)' : ''}`,
  REMEDIATION_ACCEPTED: () => 'Báo cáo khắc phục đã được chấp nhận; kết nối sẽ được khôi phục trong 24 giờ',
  WEBHOOK_FAILING: (d) => `Webhook của đơn vị không nhận được thông báo${d.failures ? ` (${String(d.failures)} lần liên tiếp)` : ''}; đề nghị kiểm tra địa chỉ và nhật ký gửi`,
  PERIODIC_REPORT: (d) => `Đã có báo cáo tổng hợp định kỳ${d.period ? ` ${periodVi(String(d.period))}` : ''}`,
  REMEDIATION_RECOMMENDATIONS: () => 'Báo cáo khắc phục chưa đạt; đề nghị thực hiện các kiến nghị và báo cáo lại',
  UNIT_INCIDENT_REPORT_DUE: (d) =>
    `Báo cáo chính thức về sự cố đơn vị đã thông báo phải gửi${d.dueLocal ? ` trước ${String(d.dueLocal)}` : ''} (24 giờ kể từ khi phát hiện, điểm d khoản 5 mục IV); gửi tại mục Sự cố và khắc phục`,
  SECURITY_ASSESSMENT_DOSSIER_RECEIVED: (d) => `${String(d.unit ?? 'Đơn vị')} đã gửi hồ sơ đánh giá an toàn thông tin hằng năm (điểm e khoản 5 mục IV)${d.summary ? `: ${String(d.summary)}` : ''}`,
  SECURITY_ASSESSMENT_REQUESTED: (d) =>
    `Cục Chuyển đổi số đề nghị gửi hồ sơ đánh giá an toàn thông tin hằng năm của hệ thống kết nối${d.due ? ` trước ngày ${dayVi(d.due)}` : ''} (điểm e khoản 5 mục IV)${d.summary ? `: ${String(d.summary)}` : ''}`,
};

export function notificationMessageVi(kind: string, data: Record<string, unknown> = {}): string {
  return NOTIFICATION_MESSAGES_VI[kind]?.(data) ?? 'Thông báo về kết nối của đơn vị';
}

/** A report period in words: `2026-Q3` → "quý III/2026", `2026-H1` → "6 tháng đầu năm 2026", `2026` → "năm 2026". */
function periodVi(period: string): string {
  const [year, part] = period.split('-');
  if (!part) return /^\d{4}$/.test(year) ? `năm ${year}` : `kỳ ${period}`;
  if (/^Q[1-4]$/.test(part)) return `quý ${['I', 'II', 'III', 'IV'][Number(part[1]) - 1]}/${year}`;
  if (part === 'H1' || part === 'H2') return `6 tháng ${part === 'H1' ? 'đầu' : 'cuối'} năm ${year}`;
  return `kỳ ${period}`;
}
