import fs from 'node:fs';
import path from 'node:path';
import { ERROR_MESSAGES_VI, errorMessageVi, NOTIFICATION_MESSAGES_VI, notificationMessageVi } from './messages.vi.js';
import { SRC, sourceFiles } from '../../../test/support/source-files.js';


describe('Vietnamese messages', () => {
  it('has a Vietnamese sentence for every error code thrown in src/', () => {
    // The ways a code is given to an error: ApiError's helpers, SecurityError's, and `code: '…'`.
    const thrown = /(?:forbidden|unauthorized|conflict|notFound|invalid|tooMany\w*|new ApiError\(\d+,|SecurityError\.\w+|code:)\s*\(?\s*'([A-Z][A-Z_]{3,})'/g;
    const codes = new Set<string>();
    for (const file of sourceFiles(SRC)) for (const m of fs.readFileSync(file, 'utf8').matchAll(thrown)) codes.add(m[1]);
    expect(codes.size).toBeGreaterThan(30);
    // Fastify's own codes (FST_*) are mapped to the gateway's before any message is written.
    expect([...codes].filter((c) => !c.startsWith('FST_') && !(c in ERROR_MESSAGES_VI)).sort()).toEqual([]);
  });

  it('falls back on the status for a code it does not know', () => {
    expect(errorMessageVi('QUOTA_EXCEEDED', 429)).toContain('Vượt hạn mức');
    expect(errorMessageVi('SOMETHING_NEW', 409)).toBe('Xung đột với trạng thái hiện tại');
    expect(errorMessageVi(undefined, 502)).toBe('Lỗi hệ thống');
  });

  it('has a Vietnamese sentence for every kind of notification', () => {
    const kinds = fs.readFileSync(path.join(SRC, 'notifications/notifications.service.ts'), 'utf8').match(/export type NotificationKind =([^;]+);/)![1].match(/'([A-Z_]+)'/g)!.map((k) => k.slice(1, -1));
    expect(kinds.filter((k) => !(k in NOTIFICATION_MESSAGES_VI))).toEqual([]);
    // The day in the gateway's time zone, given with the notice (31 Jan 20:00 UTC is already 1 Feb in Vietnam).
    expect(notificationMessageVi('CERTIFICATE_EXPIRING', { notAfter: '2027-01-31T20:00:00Z', expiresOn: '2027-02-01' })).toContain('(01/02/2027)');
    expect(notificationMessageVi('RE_EVALUATED', { consequence: 'DEADLINE', remedyDeadline: '2027-03-05' })).toContain('trước ngày 05/03/2027');
    expect(notificationMessageVi('SUSPENDED', { reasonCode: 'QUERY_SPIKE' })).toMatch(/^Kết nối bị tạm dừng, lý do: Số lượng truy vấn tăng đột biến \(/);
    expect(notificationMessageVi('SUSPENDED', { reasonCode: 'LOCAL_RULE_7' })).toContain('lý do: LOCAL_RULE_7 (');
    expect(notificationMessageVi('RESTORED', { late: true })).toBe('Kết nối đã được khôi phục (sau thời hạn 24 giờ)');
  });
});
