/**
 * What an audit entry is about (`target_type`), in Vietnamese, for the console's entry details.
 * The route declarations' type is made from these keys (`AuditTargetType`, audited.decorator.ts),
 * so a new target cannot be declared without its words. `audit-period` is the archive's own entry
 * (audit-archive.ts). No imports: the console bundles this file.
 */
export const AUDIT_TARGETS_VI = {
  account: 'Tài khoản',
  connection: 'Kết nối',
  delegation: 'Ủy quyền',
  document: 'Tài liệu',
  incident: 'Sự cố',
  notification: 'Thông báo',
  record: 'Bản ghi dữ liệu',
  'remediation-report': 'Báo cáo khắc phục',
  'scheduled-report': 'Báo cáo định kỳ',
  session: 'Phiên đăng nhập',
  'audit-period': 'Kỳ lưu trữ nhật ký',
} as const satisfies Record<string, string>;
