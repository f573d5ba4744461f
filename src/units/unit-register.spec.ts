import { tonePlacementVariants, unitKey } from './unit-names.js';
import { UnitRegister } from './unit-register.js';
import { SEEDED_UNITS } from './unit-register-seed.js';

describe('unit register', () => {
  const register = new UnitRegister(SEEDED_UNITS);
  const codeOf = (name: string) => register.resolve(name).unit?.code;

  it('ships the 63 former and the 34 current provincial-level units', () => {
    const provinces = SEEDED_UNITS.filter((u) => u.kind === 'PROVINCE');
    expect(provinces.filter((u) => /^\d\d$/.test(u.code))).toHaveLength(63);
    expect(provinces.filter((u) => !u.successorCode)).toHaveLength(34);
    for (const u of provinces.filter((p) => p.successorCode)) {
      expect(u.validTo).toBe('2025-06-30');
      expect(register.get(u.successorCode!)?.validFrom).toBe('2025-07-01');
    }
    expect(new Set(SEEDED_UNITS.map((u) => u.code)).size).toBe(SEEDED_UNITS.length);
    for (const u of SEEDED_UNITS) expect(u.source.length).toBeGreaterThan(10);
  });

  it('generates the other tone placement of oa, oe and uy, and keys them alike', () => {
    expect(tonePlacementVariants('Thanh Hóa')).toEqual(['Thanh Hoá']);
    expect(tonePlacementVariants('Khánh Hòa')).toEqual(['Khánh Hoà']);
    expect(tonePlacementVariants('Ủy ban Kiểm tra')).toEqual(['Uỷ ban Kiểm tra']);
    expect(tonePlacementVariants('Hoàng Mai')).toEqual([]);
    expect(tonePlacementVariants('Bộ Thủy lợi')).toEqual(['Bộ Thuỷ lợi']);
    expect(tonePlacementVariants('Quý')).toEqual([]);
    expect(unitKey('  THANH   Hoá ')).toBe(unitKey('Thanh Hóa'));
    expect(unitKey('Bà Rịa–Vũng Tàu')).toBe(unitKey('Bà Rịa - Vũng Tàu'));
    expect(unitKey('Thanh Hóa'.normalize('NFD'))).toBe(unitKey('Thanh Hóa'));
  });

  it('resolves spellings, prefixes and former names to the unit answerable now', () => {
    expect(codeOf('Thanh Hoá')).toBe('38');
    expect(codeOf('Tỉnh ủy Thanh Hoá')).toBe('38');
    expect(codeOf('UBND tỉnh Khánh Hoà')).toBe('GW-T-KHANH-HOA');
    expect(codeOf('Hoà Bình')).toBe('GW-T-PHU-THO');
    expect(codeOf('Tỉnh ủy Bắc Giang')).toBe('GW-T-BAC-NINH');
    expect(codeOf('Tỉnh ủy Bắc Ninh')).toBe('GW-T-BAC-NINH');
    expect(codeOf('Thừa Thiên Huế')).toBe('46');
    expect(codeOf('TP. Hồ Chí Minh')).toBe('GW-T-HO-CHI-MINH');
    expect(codeOf('Đảng ủy Bộ Khoa học và Công nghệ')).toBe('GW-BKHCN');
    expect(codeOf('Bộ Kế hoạch và Đầu tư')).toBe('GW-BTC');
    expect(codeOf('24')).toBe('GW-T-BAC-NINH');
  });

  it('suggests the closest entries for a name it does not know, and says when a name is ambiguous', () => {
    const unknown = register.resolve('Tỉnh Thanh Hoa Mới');
    expect(unknown.unit).toBeNull();
    expect(!unknown.unit && unknown.candidates[0].code).toBe('38');
    const twice = new UnitRegister([
      ...SEEDED_UNITS,
      { code: 'X1', name: 'Xã Tân Lập', shortName: 'Tân Lập', kind: 'COMMUNE', parentCode: '38', validFrom: null, validTo: null, successorCode: null, formerNames: [] },
      { code: 'X2', name: 'Xã Tân Lập', shortName: 'Tân Lập', kind: 'COMMUNE', parentCode: '40', validFrom: null, validTo: null, successorCode: null, formerNames: [] },
    ]);
    const ambiguous = twice.resolve('Tân Lập');
    expect(ambiguous.unit === null && ambiguous.reason).toBe('ambiguous');
  });
});
