import fs from 'node:fs';
import path from 'node:path';
import { problemVi } from './problems.vi.js';
import { SRC, sourceFiles } from '../../../test/support/source-files.js';

/** Where the control plane's problems are written: the console shows each one it is refused with. */
const CONTROL_PLANE = ['accounts', 'connections', 'security', 'notifications', 'calendar', 'units', 'reports', 'audit', 'documents', 'shared/files', 'shared/http'];

describe('field problems in Vietnamese', () => {
  it("has words for every problem the control plane's validation writes", () => {
    const fixed = new Set<string>();
    const templates = new Set<string>();
    const isProblem = (text: string) => /^(?:must|is|each|has|name|names|give|range|should|contains|does|matches|the|its|embedded|host)\b/.test(text);
    for (const file of CONTROL_PLANE.flatMap((dir) => sourceFiles(path.join(SRC, dir)))) {
      const text = fs.readFileSync(file, 'utf8');
      // A decorator's message, or a problem written in a 400's details: fixed, or a template.
      for (const m of text.matchAll(/(?:message|problem): '([^']+)'/g)) if (isProblem(m[1])) fixed.add(m[1]);
      for (const m of text.matchAll(/(?:message|problem): `((?:[^`$]|\$\{[^`}]*\})+)`/g)) if (isProblem(m[1])) templates.add(m[1]);
    }
    expect(fixed.size).toBeGreaterThan(50);
    expect(templates.size).toBeGreaterThan(12);
    expect([...fixed].filter((problem) => problemVi(problem) === null).sort()).toEqual([]);
    // A template with its values filled in as a number, a code or a day: one of them must read in Vietnamese.
    const filled = (template: string, value: string) => template.replace(/\$\{[^}]*\}/g, value);
    expect([...templates].filter((t) => ['5', 'PDF_FILE', '2026-12-07'].every((value) => problemVi(filled(t, value)) === null)).sort()).toEqual([]);
  });

  it('says every password weakness the policy names', () => {
    const policy = fs.readFileSync(path.join(SRC, 'accounts/password-policy.ts'), 'utf8');
    const weaknesses = [...policy.matchAll(/^ {2}\w+: '(.+)',$/gm)].map((m) => m[1].replace(/\\'/g, "'"));
    expect(weaknesses.length).toBeGreaterThan(10);
    expect(weaknesses.filter((why) => problemVi(`${why}: strength 1/4, at least 3 is required`) === null)).toEqual([]);
    expect(problemVi('is too close to a commonly used password (found in breach lists): strength 1/4, at least 3 is required')).toBe(
      'Mật khẩu quá giống một mật khẩu phổ biến (có trong danh sách mật khẩu bị lộ) (độ mạnh 1/4, cần ít nhất 3); đề nghị chọn mật khẩu khác, ví dụ một cụm nhiều từ không liên quan đến nhau, không dùng tên, ngày sinh hay dãy phím',
    );
  });

  it("fills in what a problem carries, and writes days as Vietnam's documents do", () => {
    expect(problemVi('must not be in the future (today is 2026-12-07 in Asia/Ho_Chi_Minh)')).toBe('không được sau ngày hôm nay (07/12/2026)');
    expect(problemVi('must be after today (2026-12-07 in Asia/Ho_Chi_Minh)')).toBe('phải sau ngày hôm nay (07/12/2026)');
    expect(problemVi('must be shorter than or equal to 200 characters')).toBe('không được dài quá 200 ký tự');
    expect(problemVi('must not be greater than 5')).toBe('không được lớn hơn 5');
    expect(problemVi('must be test or production')).toBe('phải là test hoặc production');
    expect(problemVi('must be success, rejected or failed')).toBe('phải là success, rejected hoặc failed');
    expect(problemVi('must be an upper-case code like MANUAL_CUT_OFF')).toBe('phải là mã gồm chữ in hoa, chữ số và dấu gạch dưới, ví dụ MANUAL_CUT_OFF');
    expect(problemVi('host hooks.example.invalid does not resolve')).toBe('không tìm thấy máy chủ hooks.example.invalid');
    expect(problemVi('must be one of UNIT_ADMIN, DTD_REVIEWER, AUDITOR')).toBe('phải là một trong các giá trị: UNIT_ADMIN, DTD_REVIEWER, AUDITOR');
    expect(problemVi('must be another unit')).toBe('phải là một đơn vị khác');
    // No English left inside the Vietnamese (a console review found "trùng với the key of the connection's…").
    expect(problemVi("its public key is the key of the connection's test certificate 9b2e (revoked): a production certificate needs a new key pair")).toBe(
      'khóa công khai trùng với khóa của chứng thư số môi trường thử nghiệm 9b2e (đã thu hồi) của kết nối; chứng thư số môi trường chính thức cần cặp khóa mới',
    );
    expect(problemVi("is not an allowed target: it points into the gateway's own network")).toBe('không được phép: địa chỉ này trỏ vào mạng nội bộ của cổng kết nối');
    expect(problemVi('the file contains a VBA macro project (word/vbaProject.bin)')).toBe('tệp chứa macro VBA; đề nghị lưu lại dưới dạng không có macro');
    expect(problemVi('must not be before the connection request was registered (2026-12-01)')).toBe('không được trước ngày đăng ký kết nối (01/12/2026)');
    expect(problemVi('must differ from your last 5 passwords')).toBe('không được trùng với 5 mật khẩu gần nhất');
  });

  it('leaves a problem it does not know to the English', () => {
    expect(problemVi('is something new the gateway says')).toBeNull();
  });
});
