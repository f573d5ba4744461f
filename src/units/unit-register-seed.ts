import type { UnitKind } from './unit-kinds.js';
import type { RegisteredUnit } from './unit-register.js';

/**
 * The unit register's first content, loaded by migration 1797900000001 (kept as data: the
 * migration copies it, later edits are the DTD's, through the control plane, each one audited).
 *
 * Codes are data, each with its source:
 * - the 63 provinces and centrally-run cities before 1 July 2025 carry their 2-digit codes of the
 *   list of administrative units (Quyết định 124/2004/QĐ-TTg); the 11 that Nghị quyết số
 *   202/2025/QH15 left unchanged keep them;
 * - the 23 provincial-level units that resolution formed by merging carry a code the gateway
 *   assigned (`GW-T-…`): the official list effective 1 July 2025 has not been checked against this
 *   file, and an official code of a new unit may equal a former unit's code, so it cannot be the
 *   register's key;
 * - central bodies carry gateway-assigned codes (`GW-…`), said so in their source.
 */

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  PARTY_COMMITTEE_UNDER_CC: 'Đảng bộ trực thuộc Trung ương',
  CENTRAL_PARTY_BODY: 'Cơ quan Đảng ở Trung ương',
  MINISTRY_OR_CENTRAL_AGENCY: 'Bộ, cơ quan ngang bộ, cơ quan Trung ương',
  PROVINCE: 'Tỉnh, thành phố trực thuộc Trung ương',
  COMMUNE: 'Xã, phường, đặc khu',
};

/** A unit of the register as shipped: what the register holds, plus where its code comes from. */
export interface SeededUnit extends RegisteredUnit {
  source: string;
}

const CODE_LIST_2004 = 'Mã theo Quyết định 124/2004/QĐ-TTg (danh mục và mã số các đơn vị hành chính Việt Nam)';
const MERGER_2025 = 'Nghị quyết số 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh';
const GATEWAY_CODE_T = `${MERGER_2025}; mã do Cổng cấp, chờ đối chiếu Quyết định 19/2025/QĐ-TTg`;
const GATEWAY_CODE = 'Mã do Cổng cấp (chưa có mã định danh chính thức đối chiếu)';
const MINISTRIES_2025 = 'Nghị quyết số 176/2025/QH15 của Quốc hội về cơ cấu tổ chức của Chính phủ';

/** [code, short name, city?] of the 63 provincial-level units before 1 July 2025. */
const FORMER_63: Array<[string, string, boolean?]> = [
  ['01', 'Hà Nội', true], ['02', 'Hà Giang'], ['04', 'Cao Bằng'], ['06', 'Bắc Kạn'], ['08', 'Tuyên Quang'],
  ['10', 'Lào Cai'], ['11', 'Điện Biên'], ['12', 'Lai Châu'], ['14', 'Sơn La'], ['15', 'Yên Bái'],
  ['17', 'Hòa Bình'], ['19', 'Thái Nguyên'], ['20', 'Lạng Sơn'], ['22', 'Quảng Ninh'], ['24', 'Bắc Giang'],
  ['25', 'Phú Thọ'], ['26', 'Vĩnh Phúc'], ['27', 'Bắc Ninh'], ['30', 'Hải Dương'], ['31', 'Hải Phòng', true],
  ['33', 'Hưng Yên'], ['34', 'Thái Bình'], ['35', 'Hà Nam'], ['36', 'Nam Định'], ['37', 'Ninh Bình'],
  ['38', 'Thanh Hóa'], ['40', 'Nghệ An'], ['42', 'Hà Tĩnh'], ['44', 'Quảng Bình'], ['45', 'Quảng Trị'],
  ['46', 'Huế', true], ['48', 'Đà Nẵng', true], ['49', 'Quảng Nam'], ['51', 'Quảng Ngãi'], ['52', 'Bình Định'],
  ['54', 'Phú Yên'], ['56', 'Khánh Hòa'], ['58', 'Ninh Thuận'], ['60', 'Bình Thuận'], ['62', 'Kon Tum'],
  ['64', 'Gia Lai'], ['66', 'Đắk Lắk'], ['67', 'Đắk Nông'], ['68', 'Lâm Đồng'], ['70', 'Bình Phước'],
  ['72', 'Tây Ninh'], ['74', 'Bình Dương'], ['75', 'Đồng Nai'], ['77', 'Bà Rịa - Vũng Tàu'], ['79', 'Hồ Chí Minh', true],
  ['80', 'Long An'], ['82', 'Tiền Giang'], ['83', 'Bến Tre'], ['84', 'Trà Vinh'], ['86', 'Vĩnh Long'],
  ['87', 'Đồng Tháp'], ['89', 'An Giang'], ['91', 'Kiên Giang'], ['92', 'Cần Thơ', true], ['93', 'Hậu Giang'],
  ['94', 'Sóc Trăng'], ['95', 'Bạc Liêu'], ['96', 'Cà Mau'],
];

/** Left unchanged on 1 July 2025: they keep their unit and code. */
const UNCHANGED = ['01', '46', '12', '11', '14', '20', '22', '38', '40', '42', '04'];

/** [gateway code, name the new unit keeps, city?, codes of the merged former units (its namesake first)]. */
const MERGED_2025: Array<[string, string, boolean, string[]]> = [
  ['GW-T-TUYEN-QUANG', 'Tuyên Quang', false, ['08', '02']],
  ['GW-T-LAO-CAI', 'Lào Cai', false, ['10', '15']],
  ['GW-T-THAI-NGUYEN', 'Thái Nguyên', false, ['19', '06']],
  ['GW-T-PHU-THO', 'Phú Thọ', false, ['25', '26', '17']],
  ['GW-T-BAC-NINH', 'Bắc Ninh', false, ['27', '24']],
  ['GW-T-HUNG-YEN', 'Hưng Yên', false, ['33', '34']],
  ['GW-T-HAI-PHONG', 'Hải Phòng', true, ['31', '30']],
  ['GW-T-NINH-BINH', 'Ninh Bình', false, ['37', '35', '36']],
  ['GW-T-QUANG-TRI', 'Quảng Trị', false, ['45', '44']],
  ['GW-T-DA-NANG', 'Đà Nẵng', true, ['48', '49']],
  ['GW-T-QUANG-NGAI', 'Quảng Ngãi', false, ['51', '62']],
  ['GW-T-GIA-LAI', 'Gia Lai', false, ['64', '52']],
  ['GW-T-KHANH-HOA', 'Khánh Hòa', false, ['56', '58']],
  ['GW-T-LAM-DONG', 'Lâm Đồng', false, ['68', '67', '60']],
  ['GW-T-DAK-LAK', 'Đắk Lắk', false, ['66', '54']],
  ['GW-T-HO-CHI-MINH', 'Hồ Chí Minh', true, ['79', '74', '77']],
  ['GW-T-DONG-NAI', 'Đồng Nai', false, ['75', '70']],
  ['GW-T-TAY-NINH', 'Tây Ninh', false, ['72', '80']],
  ['GW-T-CAN-THO', 'Cần Thơ', true, ['92', '94', '93']],
  ['GW-T-VINH-LONG', 'Vĩnh Long', false, ['86', '83', '84']],
  ['GW-T-DONG-THAP', 'Đồng Tháp', false, ['87', '82']],
  ['GW-T-CA-MAU', 'Cà Mau', false, ['96', '95']],
  ['GW-T-AN-GIANG', 'An Giang', false, ['89', '91']],
];

const province = (shortName: string, city: boolean | undefined) => `${city ? 'Thành phố' : 'Tỉnh'} ${shortName}`;

function provinces(): SeededUnit[] {
  const successorOf = new Map(MERGED_2025.flatMap(([code, , , merged]) => merged.map((m) => [m, code] as const)));
  const former = FORMER_63.map(([code, shortName, city]): SeededUnit => {
    const successorCode = successorOf.get(code) ?? null;
    if (!successorCode && !UNCHANGED.includes(code)) throw new Error(`Province ${code} has neither a successor nor is unchanged`);
    return {
      code,
      name: province(shortName, city),
      shortName,
      kind: 'PROVINCE',
      parentCode: null,
      validFrom: null,
      validTo: successorCode ? '2025-06-30' : null,
      successorCode,
      formerNames: code === '46' ? ['Tỉnh Thừa Thiên Huế', 'Thừa Thiên Huế'] : [],
      source: successorCode ? `${CODE_LIST_2004}; hợp nhất từ 01/7/2025 theo ${MERGER_2025}` : `${CODE_LIST_2004}; giữ nguyên theo ${MERGER_2025}`,
    };
  });
  const merged = MERGED_2025.map(([code, shortName, city]): SeededUnit => ({
    code,
    name: province(shortName, city),
    shortName,
    kind: 'PROVINCE',
    parentCode: null,
    validFrom: '2025-07-01',
    validTo: null,
    successorCode: null,
    formerNames: [],
    source: GATEWAY_CODE_T,
  }));
  return [...former, ...merged];
}

const central = (code: string, name: string, kind: UnitKind, parentCode: string | null, shortName = name, more: Partial<SeededUnit> = {}): SeededUnit => ({
  code, name, shortName, kind, parentCode, validFrom: null, validTo: null, successorCode: null, formerNames: [], source: GATEWAY_CODE, ...more,
});

const MINISTRY: UnitKind = 'MINISTRY_OR_CENTRAL_AGENCY';
const GOVERNMENT_PARTY = 'GW-DB-CP';
const formerMinistry = (code: string, name: string, successorCode: string) =>
  central(code, name, MINISTRY, GOVERNMENT_PARTY, name, { validTo: '2025-02-28', successorCode, source: `${GATEWAY_CODE}; hợp nhất từ 01/3/2025 theo ${MINISTRIES_2025}` });
const newMinistry = (code: string, name: string, shortName: string) =>
  central(code, name, MINISTRY, GOVERNMENT_PARTY, shortName, { validFrom: '2025-03-01', source: `${GATEWAY_CODE}; thành lập theo ${MINISTRIES_2025}` });

function centralBodies(): SeededUnit[] {
  return [
    central('GW-DB-CP', 'Đảng bộ Chính phủ', 'PARTY_COMMITTEE_UNDER_CC', null, 'Đảng ủy Chính phủ'),
    central('GW-DB-QH', 'Đảng bộ Quốc hội', 'PARTY_COMMITTEE_UNDER_CC', null, 'Đảng ủy Quốc hội'),
    central('GW-DB-CCQD', 'Đảng bộ các cơ quan Đảng Trung ương', 'PARTY_COMMITTEE_UNDER_CC', null, 'Đảng ủy các cơ quan Đảng Trung ương'),
    central('GW-DB-MTTQ', 'Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương', 'PARTY_COMMITTEE_UNDER_CC', null, 'Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương'),
    central('GW-DB-QD', 'Đảng bộ Quân đội', 'PARTY_COMMITTEE_UNDER_CC', null),
    central('GW-DB-CA', 'Đảng bộ Công an Trung ương', 'PARTY_COMMITTEE_UNDER_CC', null, 'Đảng ủy Công an Trung ương'),
    central('GW-VPTW', 'Văn phòng Trung ương Đảng', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-BTCTW', 'Ban Tổ chức Trung ương', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-BTGDVTW', 'Ban Tuyên giáo và Dân vận Trung ương', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-BNCTW', 'Ban Nội chính Trung ương', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-BCSCLTW', 'Ban Chính sách, chiến lược Trung ương', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-UBKTTW', 'Ủy ban Kiểm tra Trung ương', 'CENTRAL_PARTY_BODY', 'GW-DB-CCQD'),
    central('GW-BQP', 'Bộ Quốc phòng', MINISTRY, 'GW-DB-QD'),
    central('GW-BCA', 'Bộ Công an', MINISTRY, 'GW-DB-CA'),
    central('GW-BNG', 'Bộ Ngoại giao', MINISTRY, GOVERNMENT_PARTY),
    central('GW-BNV', 'Bộ Nội vụ', MINISTRY, GOVERNMENT_PARTY),
    central('GW-BTP', 'Bộ Tư pháp', MINISTRY, GOVERNMENT_PARTY),
    central('GW-BTC', 'Bộ Tài chính', MINISTRY, GOVERNMENT_PARTY),
    central('GW-BCT', 'Bộ Công Thương', MINISTRY, GOVERNMENT_PARTY),
    newMinistry('GW-BNNMT', 'Bộ Nông nghiệp và Môi trường', 'Bộ NN&MT'),
    central('GW-BXD', 'Bộ Xây dựng', MINISTRY, GOVERNMENT_PARTY),
    central('GW-BVHTTDL', 'Bộ Văn hóa, Thể thao và Du lịch', MINISTRY, GOVERNMENT_PARTY, 'Bộ VHTTDL'),
    central('GW-BKHCN', 'Bộ Khoa học và Công nghệ', MINISTRY, GOVERNMENT_PARTY, 'Bộ KH&CN'),
    central('GW-BGDDT', 'Bộ Giáo dục và Đào tạo', MINISTRY, GOVERNMENT_PARTY, 'Bộ GD&ĐT'),
    central('GW-BYT', 'Bộ Y tế', MINISTRY, GOVERNMENT_PARTY),
    newMinistry('GW-BDTTG', 'Bộ Dân tộc và Tôn giáo', 'Bộ DT&TG'),
    central('GW-NHNN', 'Ngân hàng Nhà nước Việt Nam', MINISTRY, GOVERNMENT_PARTY, 'Ngân hàng Nhà nước'),
    central('GW-TTCP', 'Thanh tra Chính phủ', MINISTRY, GOVERNMENT_PARTY),
    central('GW-VPCP', 'Văn phòng Chính phủ', MINISTRY, GOVERNMENT_PARTY),
    formerMinistry('GW-BKHDT', 'Bộ Kế hoạch và Đầu tư', 'GW-BTC'),
    formerMinistry('GW-BTTTT', 'Bộ Thông tin và Truyền thông', 'GW-BKHCN'),
    formerMinistry('GW-BGTVT', 'Bộ Giao thông vận tải', 'GW-BXD'),
    formerMinistry('GW-BNNPTNT', 'Bộ Nông nghiệp và Phát triển nông thôn', 'GW-BNNMT'),
    formerMinistry('GW-BTNMT', 'Bộ Tài nguyên và Môi trường', 'GW-BNNMT'),
    formerMinistry('GW-UBDT', 'Ủy ban Dân tộc', 'GW-BDTTG'),
  ];
}

/** Parents before children, predecessors after their successors: the order the migration inserts. */
export const SEEDED_UNITS: SeededUnit[] = [...centralBodies(), ...provinces()];
