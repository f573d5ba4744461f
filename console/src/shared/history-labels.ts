import { enumLabel } from '../i18n';

/**
 * The steps of a connection's history (`connection_events.action`, named where the server records
 * them: connection-lifecycle.service.ts and its callers, connection-suspension.service.ts), in the
 * words of the guidance's Appendix II part I. A step the console does not know yet is spelled out.
 */
const STEPS_VI: Readonly<Record<string, string>> = {
  register: 'Đăng ký kết nối',
  resubmit: 'Gửi lại hồ sơ đã hoàn thiện',
  securityCheck: 'Ghi kết quả kiểm tra an ninh',
  approve: 'Thẩm định, chấp thuận',
  return: 'Trả lại, yêu cầu hoàn thiện hồ sơ',
  recordAgreement: 'Ghi nhận biên bản thỏa thuận kết nối',
  submitCsr: 'Gửi yêu cầu cấp chứng thư số',
  configure: 'Cấu hình kỹ thuật',
  issueCertificate: 'Cấp chứng thư số',
  revokeCertificate: 'Thu hồi chứng thư số',
  testReport: 'Lập biên bản thử nghiệm',
  'confirmTest:unit': 'Đơn vị xác nhận kết quả thử nghiệm',
  'confirmTest:dtd': 'Cục xác nhận kết quả thử nghiệm',
  passTest: 'Thử nghiệm đạt yêu cầu',
  scheduleGoLive: 'Hẹn ngày vận hành chính thức',
  goLive: 'Đưa vào vận hành chính thức',
  openProduction: 'Bắt đầu vận hành chính thức (đến ngày hẹn)',
  maintenanceMinutes: 'Lập biên bản giám sát, bảo trì',
  reEvaluate: 'Đánh giá lại định kỳ',
  suspend: 'Tạm dừng kết nối',
  unitIncidentReport: 'Đơn vị báo cáo sự cố',
  unitIncidentOfficialReport: 'Đơn vị gửi báo cáo chính thức về sự cố (24 giờ)',
  remediationReport: 'Đơn vị gửi báo cáo khắc phục',
  remediationRecommendations: 'Kiến nghị tiếp tục khắc phục',
  acceptRemediation: 'Chấp nhận báo cáo khắc phục',
  restore: 'Khôi phục kết nối',
  terminate: 'Chấm dứt kết nối',
  unitMerged: 'Đơn vị trong phạm vi được sáp nhập (chuyển sang đơn vị kế thừa)',
};

/** A history step in words: in English the step's name spelled out (`confirmTest:unit`: "Confirm test (unit)"). */
export function stepLabel(action: string, language: string): string {
  if (language === 'vi') return STEPS_VI[action] ?? action;
  const [step, side] = action.split(':');
  const words = step.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${side ? ` (${side})` : ''}`;
}

/** What a minutes step records (connection-operations.service.ts: recordMaintenance, submitAssessmentDossier). */
export interface MinutesChanges {
  /** Absent on minutes recorded before IV.5.e's kinds: MAINTENANCE. */
  kind?: string;
  summary?: string;
  documentId?: string | null;
  dueDate?: string;
}

/**
 * A step as the history table shows it: a minutes step by its kind where it has one (IV.5.e's
 * spot check, demand and dossier are minutes steps too, and "biên bản giám sát, bảo trì" would
 * misname a unit's own dossier).
 */
export function eventLabel(event: { action: string; changes?: unknown }, language: string): string {
  const kind = (event.changes as { kind?: unknown } | null | undefined)?.kind;
  if (event.action === 'maintenanceMinutes' && typeof kind === 'string' && kind !== 'MAINTENANCE') return enumLabel(kind, language);
  return stepLabel(event.action, language);
}

/**
 * Who acted, as the history stores it (`Holder (username, ROLE)`, connection-transition.ts), with
 * the role in words; anything else (the detector, an operator) as it is.
 */
export function actorLabel(name: string, language: string): string {
  const person = /^(.*) \(([^,()]+), ([A-Z_]+)\)$/.exec(name);
  return person ? `${person[1]} (${person[2]}, ${enumLabel(person[3], language)})` : name;
}
