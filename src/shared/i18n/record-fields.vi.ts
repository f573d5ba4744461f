/**
 * The exchanged records' fields in the guidance's words (Appendix II, part II), for people reading
 * a record's versions in the console. The numbered fields repeat the Vietnamese of the API's own
 * field descriptions (the DTOs); record-fields.vi.spec.ts fails when the two part. No imports: the
 * console bundles this file.
 */
const RECORD_STATE_VI = {
  classification: 'Độ mật',
  revoked: 'Đã thu hồi',
  revokedAt: 'Thời điểm thu hồi',
  reviewStatus: 'Trạng thái thẩm định',
  reviewedAt: 'Thời điểm thẩm định',
  reviewExplanation: 'Yêu cầu giải trình',
  receivedAt: 'Thời điểm xác nhận tiếp nhận',
  disputeStatus: 'Phản hồi về việc giao nhiệm vụ',
  disputedAt: 'Thời điểm phản hồi',
  disputeReason: 'Lý do phản hồi',
} as const;

export const RECORD_FIELDS_VI: Readonly<Record<'task-results' | 'kpi-results', Readonly<Record<string, string>>>> = {
  'task-results': {
    taskCode: 'Mã nhiệm vụ',
    taskName: 'Tên nhiệm vụ',
    taskGroupCode: 'Mã nhóm nhiệm vụ',
    taskGroupName: 'Tên nhóm nhiệm vụ',
    leadUnit: 'Đơn vị chủ trì',
    leadUnitCode: 'Mã đơn vị chủ trì',
    coordinatingUnits: 'Đơn vị phối hợp thực hiện',
    coordinatingUnitCodes: 'Mã đơn vị phối hợp',
    assigningDocument: 'Văn bản giao nhiệm vụ',
    expectedOutput: 'Sản phẩm đầu ra, Kết quả yêu cầu',
    assignedAt: 'Thời gian giao nhiệm vụ',
    dueDate: 'Thời hạn hoàn thành',
    priority: 'Thứ tự ưu tiên',
    result: 'Kết quả',
    completedAt: 'Ngày hoàn thành thực tế',
    description: 'Mô tả',
    difficulties: 'Khó khăn/vướng mắc',
    proposals: 'Đề xuất/kiến nghị',
    attachments: 'File sở cứ đính kèm',
    ...RECORD_STATE_VI,
  },
  'kpi-results': {
    indicatorGroup: 'Nhóm chỉ số',
    indicatorCode: 'Mã chỉ số',
    indicatorName: 'Tên chỉ số',
    unit: 'Đơn vị tính',
    methodology: 'Mô tả chỉ số, công thức tính',
    periodType: 'Kỳ dữ liệu (loại)',
    period: 'Kỳ dữ liệu',
    target: 'Số mục tiêu',
    reportingAgency: 'Cơ quan thực hiện',
    reportingAgencyCode: 'Mã cơ quan thực hiện',
    periodResult: 'Kết quả thực hiện trong kỳ',
    cumulativeResult: 'Kết quả thực hiện lũy kế',
    progressDescription: 'Mô tả tiến độ',
    difficulties: 'Khó khăn',
    proposals: 'Đề xuất',
    attachments: 'Tài liệu sở cứ đính kèm',
    ...RECORD_STATE_VI,
  },
};
