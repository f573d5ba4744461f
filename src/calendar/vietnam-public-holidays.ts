import type { CalendarDayOverride } from './working-calendar.js';

export interface SeededCalendarDay extends CalendarDayOverride {
  /** Where the day comes from: the law, or the year's announcement. */
  source: string;
}

const LAW = 'Bộ luật Lao động 2019, Điều 112';

/**
 * The register's first content (migration 1797100000000): public holidays, swapped days off and
 * make-up working days of the public sector for 2026 and the fixed-date holidays of 2027. The
 * lunar holidays of 2027 (Tết Đinh Mùi, Giỗ Tổ Hùng Vương) and their swaps are set by the year's
 * announcement: the DTD enters them through the control plane (`PUT /control/v1/calendar/days/{day}`),
 * each change audited.
 */
export const VIETNAM_PUBLIC_HOLIDAYS: SeededCalendarDay[] = [
  { day: '2026-01-01', kind: 'HOLIDAY', name: 'Tết Dương lịch', source: LAW },
  { day: '2026-01-02', kind: 'HOLIDAY', name: 'Tết Dương lịch (hoán đổi ngày làm việc)', source: 'Thông báo của Bộ Nội vụ ngày 25/12/2025: hoán đổi thứ Sáu 02/01/2026 sang thứ Bảy 10/01/2026' },
  { day: '2026-01-10', kind: 'WORKDAY', name: 'Làm bù cho ngày 02/01/2026', source: 'Thông báo của Bộ Nội vụ ngày 25/12/2025' },
  ...['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((day) => ({
    day,
    kind: 'HOLIDAY' as const,
    name: 'Tết Nguyên đán Bính Ngọ',
    source: `${LAW}; công chức, viên chức nghỉ từ thứ Bảy 14/02/2026 đến hết Chủ nhật 22/02/2026 theo phương án được Thủ tướng Chính phủ đồng ý`,
  })),
  { day: '2026-04-27', kind: 'HOLIDAY', name: 'Giỗ Tổ Hùng Vương (nghỉ bù cho Chủ nhật 26/04/2026)', source: `${LAW}, khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)` },
  { day: '2026-04-30', kind: 'HOLIDAY', name: 'Ngày Chiến thắng', source: LAW },
  { day: '2026-05-01', kind: 'HOLIDAY', name: 'Ngày Quốc tế lao động', source: LAW },
  { day: '2026-09-01', kind: 'HOLIDAY', name: 'Quốc khánh (ngày liền kề)', source: `${LAW} (ngày 02/9 và 01 ngày liền kề trước hoặc sau); ngày liền kề theo thông báo của năm — DTD kiểm tra` },
  { day: '2026-09-02', kind: 'HOLIDAY', name: 'Quốc khánh', source: LAW },
  { day: '2027-01-01', kind: 'HOLIDAY', name: 'Tết Dương lịch', source: LAW },
  { day: '2027-04-30', kind: 'HOLIDAY', name: 'Ngày Chiến thắng', source: LAW },
  { day: '2027-05-03', kind: 'HOLIDAY', name: 'Ngày Quốc tế lao động (nghỉ bù cho thứ Bảy 01/05/2027)', source: `${LAW}, khoản 3` },
  { day: '2027-09-02', kind: 'HOLIDAY', name: 'Quốc khánh', source: LAW },
];
