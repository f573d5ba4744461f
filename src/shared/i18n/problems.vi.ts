/**
 * A field's problem (`details[].problem` of a 400) in Vietnamese, for the console. The API keeps its
 * problems in English, as the contract fixes them (CONTRACT.md, Errors); the console shows this
 * beside each field it names. Patterns in order, the first that matches wins; null for a problem
 * no pattern knows (the console then shows the English). The control plane's fixed problems are
 * all here: problems.vi.spec.ts fails for one that is not.
 */
import { dayVi as day } from './messages.vi.js';

type Translation = [RegExp, string | ((...groups: string[]) => string)];

/** An environment's name inside a sentence. */
const ENVIRONMENT_VI: Record<string, string> = { test: 'thử nghiệm', production: 'chính thức' };

const PASSWORD_WEAKNESSES: Record<string, string> = {
  'is a straight row of keys': 'là một hàng phím liền nhau',
  'is a short keyboard pattern': 'là một mẫu phím ngắn',
  'repeats characters (like "aaa")': 'lặp lại ký tự (như "aaa")',
  'repeats a pattern (like "abcabc")': 'lặp lại một mẫu (như "abcabc")',
  'is a common sequence (like "abc" or "1234")': 'là dãy ký tự thông dụng (như "abc" hoặc "1234")',
  'uses a recent year': 'dùng một năm gần đây',
  'uses a date': 'dùng một ngày tháng',
  'is one of the ten most used passwords': 'nằm trong mười mật khẩu phổ biến nhất',
  'is one of the hundred most used passwords': 'nằm trong một trăm mật khẩu phổ biến nhất',
  'is a commonly used password (found in breach lists)': 'là mật khẩu phổ biến (có trong danh sách mật khẩu bị lộ)',
  'is too close to a commonly used password (found in breach lists)': 'quá giống một mật khẩu phổ biến (có trong danh sách mật khẩu bị lộ)',
  'is a single word': 'chỉ là một từ',
  'is a single name': 'chỉ là một tên riêng',
  'is a common name': 'là một tên thông dụng',
  'contains your username or your name': 'chứa tên đăng nhập hoặc họ tên của bạn',
  'appears in breach lists': 'có trong danh sách mật khẩu bị lộ',
  'is too easy to guess': 'quá dễ đoán',
};

/** "must be one of A, B, C" or "must be A, B or C" (a list of codes, never a sentence). */
const CODES = '[A-Za-z_]+(?:, [A-Za-z_]+)*';
const CHOICES = `^must be (?:one of (${CODES}(?:,? or [A-Za-z_]+)?)|(${CODES},? or [A-Za-z_]+))$`;

const TRANSLATIONS: Translation[] = [
  // class-validator's own words (api-error.ts strips the property name in front).
  [/^should not be empty$/, 'không được để trống'],
  [/^should not exist$/, 'không có trong mẫu dữ liệu, đề nghị bỏ trường này'],
  [/^must be a string$/, 'phải là chuỗi ký tự'],
  [/^must be an integer number$/, 'phải là số nguyên'],
  [/^must be a number conforming to the specified constraints$/, 'phải là số'],
  [/^must be a boolean value$/, 'phải là true hoặc false'],
  [/^must be an array$/, 'phải là danh sách'],
  [/^must be an object$|^must be a JSON object$|^nested property .* must be either object or array$/, 'phải là một đối tượng JSON'],
  [/^must be a UUID$/, 'phải là mã định danh (UUID)'],
  [/^must be an email$|^must be an e-mail address$/, 'phải là địa chỉ thư điện tử'],
  [/^must be a valid ISO 8601 date string$|^must be an ISO 8601 timestamp(?: with offset)?$/, 'phải là thời điểm theo ISO 8601, ví dụ 2026-12-04T08:30:00+07:00'],
  [/^must not be greater than (\S+)$/, (n) => `không được lớn hơn ${n}`],
  [/^must not be less than (\S+)$/, (n) => `không được nhỏ hơn ${n}`],
  [/^must be shorter than or equal to (\d+) characters$/, (n) => `không được dài quá ${n} ký tự`],
  [/^must be longer than or equal to (\d+) characters$/, (n) => `phải có ít nhất ${n} ký tự`],
  [/^must contain at least (\d+) elements$/, (n) => `phải có ít nhất ${n} phần tử`],
  [/^must contain no more than (\d+) elements$/, (n) => `không được quá ${n} phần tử`],
  [/^must be one of the following values: (.*)$/, (values) => `phải là một trong các giá trị: ${values}`],
  [/^must match .* regular expression$/, 'không đúng định dạng'],
  // The gateway's own.
  [/^is required$/, 'bắt buộc nhập'],
  [/^is required \(or (\S+)\)$/, (other) => `bắt buộc nhập (hoặc nêu ${other})`],
  [/^is required for (.+): number, date, recipient, documentId$/, (steps) => `bắt buộc với bước ${steps}: số, ngày, nơi nhận và văn bản`],
  [/^is required for UNIT_ADMIN$/, 'bắt buộc với quản trị viên của đơn vị kết nối'],
  [/^is required for ASSESSMENT_DOSSIER: the dossier as received$/, 'bắt buộc khi ghi nhận hồ sơ đánh giá an toàn: tệp hồ sơ đã nhận'],
  [/^is required for ASSESSMENT_REQUESTED: the date the dossier is due$/, 'bắt buộc khi yêu cầu nộp hồ sơ đánh giá an toàn: hạn nộp'],
  [/^is only for ASSESSMENT_REQUESTED$/, 'chỉ dùng khi yêu cầu nộp hồ sơ đánh giá an toàn'],
  [/^is required to APPROVE: who decided, when, and the document$/, 'bắt buộc khi chấp thuận: người quyết định, ngày quyết định và văn bản'],
  [/^is required with the DEADLINE consequence$/, 'bắt buộc khi yêu cầu khắc phục trong thời hạn'],
  [/^is only for the DEADLINE consequence$/, 'chỉ dùng khi yêu cầu khắc phục trong thời hạn'],
  [/^is only for a re-evaluation whose conditions are not met$/, 'chỉ dùng khi kết quả đánh giá lại là không đáp ứng điều kiện'],
  [/^is required: the 24\/7 incident contact \(name, phone, email\)$/, 'bắt buộc: đầu mối ứng cứu sự cố 24/7 (họ tên, điện thoại, thư điện tử)'],
  [/^is required: the technical contact \(name, email, phone\)$/, 'bắt buộc: đầu mối kỹ thuật (họ tên, thư điện tử, điện thoại)'],
  [/^is required: the business contact \(name, email, phone\)$/, 'bắt buộc: đầu mối nghiệp vụ (họ tên, thư điện tử, điện thoại)'],
  [/^is required: the technical dossier$/, 'bắt buộc: hồ sơ kỹ thuật'],
  [/^is required: the revised technical dossier$/, 'bắt buộc: hồ sơ kỹ thuật đã hoàn thiện'],
  [/^is required: the agreed scope \(data sets, directions, units\)$/, 'bắt buộc: phạm vi dữ liệu thỏa thuận (bộ dữ liệu, chiều trao đổi, đơn vị)'],
  [/^is required: the agreed quotas \(an empty object for the defaults\)$/, 'bắt buộc: hạn mức thỏa thuận (để trống các giá trị để dùng mặc định)'],
  [/^is required: the signatories of both parties$/, 'bắt buộc: người ký của hai bên'],
  [/^is required: the official request letter \(number, date, signedBy, documentId\)$/, 'bắt buộc: công văn đề nghị (số, ngày, người ký, bản quét)'],
  [/^is required with format=csv$/, 'bắt buộc khi xuất tệp CSV'],
  [/^is only allowed with format=csv$/, 'chỉ dùng khi xuất tệp CSV'],
  [/^is required when decision is RETURNED \(1 to 4000 characters\)$/, 'bắt buộc khi từ chối phê duyệt (1 đến 4000 ký tự)'],
  [/^is not a URL$/, 'không phải là địa chỉ URL'],
  [/^must be an https:\/\/ URL$/, 'phải là địa chỉ https://'],
  [/^must be an http:\/\/ or https:\/\/ URL$/, 'phải là địa chỉ http:// hoặc https://'],
  [/^must not carry credentials$/, 'không được chứa tên đăng nhập hoặc mật khẩu'],
  [/^host (\S+) does not resolve$/, (host) => `không tìm thấy máy chủ ${host}`],
  [/^is not a document you uploaded$/, 'không phải tài liệu do bạn tải lên'],
  [/^is not a nextCursor of this search$|^must be the nextCursor of a previous page$|^is not a cursor this gateway returned$/, 'không phải vị trí trang do cổng trả về; đề nghị tải lại từ trang đầu'],
  [/^must be the name of a history step, such as maintenanceMinutes$/, 'phải là tên một bước trong lịch sử kết nối, ví dụ maintenanceMinutes'],
  [/^is not your current password$/, 'không đúng mật khẩu hiện tại'],
  [/^is your own account(?:: ask another system administrator)?$/, 'là tài khoản của chính bạn; đề nghị một quản trị hệ thống khác thực hiện'],
  [/^must be another unit$/, 'phải là một đơn vị khác'],
  [/^give either assistantId or assistantUsername, not both$/, 'chỉ nêu mã tài khoản hoặc tên đăng nhập của người được ủy quyền, không nêu cả hai'],
  [/^must be a username, or give assistantId instead$/, 'phải là tên đăng nhập (hoặc nêu mã tài khoản thay thế)'],
  [/^must be an account id \(UUID\), or give assistantUsername instead$/, 'phải là mã tài khoản (UUID) (hoặc nêu tên đăng nhập thay thế)'],
  [/^is already a name of (.+)$/, (holder) => `đã là tên của ${holder}`],
  [/^must be (\d+) to (\d+) characters long$/, (min, max) => `phải dài từ ${min} đến ${max} ký tự`],
  [/^must be 3-100 of a-z, 0-9, "\.", "_", "-"$/, 'phải gồm 3-100 ký tự a-z, 0-9, ".", "_", "-"'],
  [/^must be 2-64 of letters, digits, "\.", "_", "-"$/, 'phải gồm 2-64 chữ cái, chữ số, ".", "_", "-"'],
  [/^must differ from your last (\d+) passwords$/, (n) => `không được trùng với ${n} mật khẩu gần nhất`],
  [/^must be 6 digits$/, 'phải gồm 6 chữ số'],
  [/^must be the 12 digits of the citizen ID number$/, 'phải là 12 chữ số của số định danh cá nhân'],
  [/^must be the 16-character code, e\.g\. (\S+)$/, (example) => `phải là mã 16 ký tự, ví dụ ${example}`],
  [/^must be a phone number(?: \(digits, spaces, \. \( \) -, optional leading \+\))?$/, 'phải là số điện thoại (chữ số, dấu cách, . ( ) -, có thể có dấu + ở đầu)'],
  [/^must be an upper-case code(?: like (\S+))?$/, (example) => `phải là mã gồm chữ in hoa, chữ số và dấu gạch dưới${example ? `, ví dụ ${example}` : ''}`],
  [/^must be a calendar date YYYY-MM-DD$|^must be a date as YYYY-MM-DD$|^must be a real calendar date$/, 'phải là ngày hợp lệ, dạng năm-tháng-ngày (YYYY-MM-DD)'],
  [/^must be a date-time such as (\S+)$|^must be a timestamp with its offset, e\.g\. (\S+) or …Z$/, (a, b) => `phải là thời điểm có múi giờ, ví dụ ${a ?? b}`],
  [/^must be a quarter \(2026-Q3\), a half-year \(2026-H1\) or a year \(2026\)$/, 'phải là một quý (2026-Q3), nửa năm (2026-H1) hoặc một năm (2026)'],
  [/^must not be before from$/, 'không được trước ngày bắt đầu'],
  [/^must not be before the connection request was registered \((\S+)\)$/, (registered) => `không được trước ngày đăng ký kết nối (${day(registered)})`],
  [/^must not be before (\w+)$/, (other) => `không được trước ${other}`],
  [/^range too large for one request$/, 'khoảng thời gian quá dài cho một lần tra cứu'],
  [/^must not be in the future(?: \(today is (\d{4}-\d{2}-\d{2}) in \S+\))?$/, (today) => `không được sau ngày hôm nay${today ? ` (${day(today)})` : ''}`],
  [/^must be after today \((\d{4}-\d{2}-\d{2}) in \S+\)$/, (today) => `phải sau ngày hôm nay (${day(today)})`],
  [/^must not be before the day the incident was detected \((\d{4}-\d{2}-\d{2})\)$/, (detected) => `không được trước ngày phát hiện sự cố (${day(detected)})`],
  [/^must be in the future$/, 'phải là một thời điểm trong tương lai'],
  [/^must be in the future and at most (\d+) days away$/, (n) => `phải trong tương lai và không quá ${n} ngày kể từ hôm nay`],
  [/^must be after (\d{4}-\d{2}-\d{2})$/, (d) => `phải sau ngày ${day(d)}`],
  [/^each must be an IP address or CIDR block$|^must be comma-separated IP addresses or CIDR blocks$/, 'mỗi giá trị phải là một địa chỉ IP hoặc dải địa chỉ CIDR'],
  [/^each must be a connection id \(UUID\)$/, 'mỗi giá trị phải là mã kết nối (UUID)'],
  [/^each must be an attachmentId \(UUID\)$/, 'mỗi giá trị phải là mã tệp đính kèm (UUID)'],
  [/^name at least one connection$/, 'nêu ít nhất một kết nối'],
  [/^name at most (\d+) connections \(one page\)$/, (n) => `nêu tối đa ${n} kết nối (một trang)`],
  [/^has (\d+) entries, more than the (\d+) allowed$/, (n, max) => `có ${n} mục, vượt quá ${max} mục cho phép`],
  [/^"(.+)" is not a code of the unit register$/, (code) => `"${code}" không có trong danh mục đơn vị`],
  [/^must be SUSPEND or DEADLINE when the conditions are not met$/, 'phải là tạm dừng kết nối hoặc yêu cầu khắc phục trong thời hạn khi không đáp ứng điều kiện'],
  [new RegExp(CHOICES), (list, choices) => (list ? `phải là một trong các giá trị: ${list.replace(/,? or /, ', ')}` : `phải là ${choices.replace(/,? or /, ' hoặc ')}`)],
  [/^must list as many codes as (\S+) lists names \((\d+)\), in the same order$/, (field, n) => `phải nêu số mã bằng số tên trong ${field} (${n}), theo cùng thứ tự`],
  [/^names (.+), but (\S+) is (.+)$/, (named, field, other) => `nêu ${named}, nhưng ${field} là ${other}`],
  [/^is ([A-Z_]+)(?: of (.+))?$/, (role, unit) => `là tài khoản vai trò ${role}${unit ? ` của ${unit}` : ''}; người được ủy quyền phải cùng vai trò và cùng đơn vị`],
  [/^its public key is the key of the connection's (\S+) certificate (\S+)( \(revoked\))?: a (\S+) certificate needs a new key pair$/, (env, id, revoked, environment) =>
    `khóa công khai trùng với khóa của chứng thư số môi trường ${ENVIRONMENT_VI[env] ?? env} ${id}${revoked ? ' (đã thu hồi)' : ''} của kết nối; chứng thư số môi trường ${ENVIRONMENT_VI[environment] ?? environment} cần cặp khóa mới`],
  [/^its public key is the key of the pending (\S+) certificate request: a (\S+) certificate needs a new key pair$/, (env, environment) =>
    `khóa công khai trùng với khóa của yêu cầu cấp chứng thư số môi trường ${ENVIRONMENT_VI[env] ?? env} đang chờ; chứng thư số môi trường ${ENVIRONMENT_VI[environment] ?? environment} cần cặp khóa mới`],
  [/^its public key is (.+): a (\S+) certificate needs a new key pair$/, (what, environment) => `khóa công khai trùng với ${what}; chứng thư số môi trường ${ENVIRONMENT_VI[environment] ?? environment} cần cặp khóa mới`],
  [/^must be given once$/, 'chỉ được nêu một lần'],
  [/^must not contain the NUL character \(U\+0000\)$/, 'không được chứa ký tự NUL (U+0000)'],
  [/^is not an allowed target: it points into the gateway's own network$/, 'không được phép: địa chỉ này trỏ vào mạng nội bộ của cổng kết nối'],
  // Files (file-screening.ts says each as "the file …").
  [/^the file (.+)$/, (problem) => `tệp ${problemVi(problem) ?? problem}`],
  [/^the malware scanner found (.+)$/, (signature) => `phần mềm quét mã độc phát hiện ${signature}; tệp không được nhận`],
  [/^embedded object (\S+): (.+)$/, (name, problem) => `đối tượng nhúng ${name}: ${problemVi(problem) ?? problem}`],
  [/^declared as (\S+) but the content is (\S+)$/, (declared, actual) => `khai báo là ${declared} nhưng nội dung là ${actual}`],
  [/^contains a VBA macro project \((.+)\)$/, () => 'chứa macro VBA; đề nghị lưu lại dưới dạng không có macro'],
  [/^is password-protected, so its content cannot be checked$/, 'được đặt mật khẩu nên không kiểm tra được nội dung; đề nghị gửi bản không đặt mật khẩu'],
  [/^is a damaged Office file \((.+)\)$/, () => 'là tệp Office bị hỏng'],
  [/^matches a sql-injection signature$|^does not fit its format and carries SQL metacharacters$/, 'chứa dấu hiệu tấn công chèn mã SQL'],
];

export function problemVi(problem: string): string | null {
  const password = /^(.+): strength (\d)\/4, at least (\d) is required$/.exec(problem);
  if (password && PASSWORD_WEAKNESSES[password[1]]) {
    return `Mật khẩu ${PASSWORD_WEAKNESSES[password[1]]} (độ mạnh ${password[2]}/4, cần ít nhất ${password[3]}); đề nghị chọn mật khẩu khác, ví dụ một cụm nhiều từ không liên quan đến nhau, không dùng tên, ngày sinh hay dãy phím`;
  }
  for (const [pattern, words] of TRANSLATIONS) {
    const match = pattern.exec(problem);
    if (match) return typeof words === 'string' ? words : words(...match.slice(1));
  }
  return null;
}
