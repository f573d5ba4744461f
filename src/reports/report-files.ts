import { displayRow, type PeriodicReport, SECTION_KEYS, SECTIONS, type SectionKey } from './report-sections.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The report as a workbook: a summary sheet ("Tổng hợp": period, scope, notes, totals), then one
 * sheet per section with Vietnamese headings (report-sections.ts). Figures are numbers, so that
 * they can be summed in the spreadsheet.
 */
export async function reportWorkbook(report: PeriodicReport): Promise<Buffer> {
  // Loaded on the first workbook, not at start: exceljs and the zip libraries under it are ~750
  // CommonJS files (~3.5 MB) that every gateway start loaded (~0.25 s of its ~3.9 s to ready on a
  // 2-core machine), where only a report's .xlsx needs them.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cổng kết nối, chia sẻ dữ liệu';
  workbook.created = new Date(report.generatedAt);
  const summary = workbook.addWorksheet('Tổng hợp');
  summary.columns = [{ width: 44 }, { width: 60 }];
  summary.addRow([report.title]).font = { bold: true, size: 13 };
  summary.addRows([
    ['Kỳ báo cáo', report.period.label],
    ['Từ ngày', report.period.from],
    ['Đến ngày', report.period.to],
    ['Môi trường', report.environment === 'production' ? 'Chính thức' : 'Thử nghiệm'],
    ['Đơn vị', report.unit ?? 'Tất cả'],
    ['Loại dữ liệu', report.dataSet ?? 'Tất cả'],
    ['Thời điểm lập', report.generatedAt],
    [],
    ['Tổng số bản ghi báo cáo trong kỳ', sum(report.sections.records, 'reported')],
    ['Số bản ghi được phê duyệt', sum(report.sections.records, 'approved')],
    ['Tổng số lượt gọi', sum(report.sections.connections, 'calls')],
    ['Tổng số lượt bị từ chối', sum(report.sections.refusals, 'count')],
    ['Số lần tạm dừng kết nối', report.sections.suspensions.length],
    ['Số sự cố', report.sections.incidents.length],
    [],
    ['Ghi chú'],
    ...report.notes.map((n) => ['', n]),
  ]);
  for (const key of SECTION_KEYS) {
    const sheet = workbook.addWorksheet(SECTIONS[key].sheet);
    sheet.columns = SECTIONS[key].columns.map((c) => ({ header: c.header, width: c.width ?? 18 }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of report.sections[key] as Array<Record<string, unknown>>) sheet.addRow(displayRow(key, row));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * One section as CSV (RFC 4180, UTF-8 with a byte-order mark so that Excel reads the Vietnamese
 * headings right): a CSV file holds one table.
 */
export function reportCsv(report: PeriodicReport, section: SectionKey): string {
  const lines = [SECTIONS[section].columns.map((c) => c.header), ...(report.sections[section] as Array<Record<string, unknown>>).map((row) => displayRow(section, row))];
  return `\uFEFF${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A cell starting like a formula is quoted with a leading apostrophe (CSV injection in spreadsheets).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function sum<T>(rows: T[], key: keyof T): number {
  return rows.reduce((total, r) => total + Number(r[key] ?? 0), 0);
}
