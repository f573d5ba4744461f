import 'reflect-metadata';
import { Expose, Transform, Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { KpiResultInputDto } from '../kpi-results/dto/kpi-result-input.dto.js';
import { TaskResultInputDto } from '../task-results/dto/task-result-input.dto.js';
import { validateItem, validateItemFast, validateItemReference } from './validate-item.js';

/**
 * The fast path must answer exactly what class-transformer + class-validator answer: same
 * verdict, same instance (class, keys, values), same problems. The corpus puts every value of a
 * wide set into every field of each DTO, one at a time and several at once, plus unknown keys
 * and items that are not plain objects; a DTO change the fast path mishandles shows up here.
 */
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const NFD_UNIT = ' Bo\u0302\u0323 Ta\u0300i chi\u0301nh ';
const ABSENT = Symbol('absent');

const TASK = {
  taskCode: '012_TBKL_NQ57',
  taskName: 'Nhiệm vụ 012',
  taskGroupCode: '57_N02',
  taskGroupName: 'Về xây dựng hoàn thiện thể chế',
  leadUnit: 'Bộ Tài chính',
  coordinatingUnits: ['Bộ Tư pháp'],
  assigningDocument: 'Thông báo số 03-TB/BCĐTW ngày 06/3/2025',
  expectedOutput: 'Nghị định',
  assignedAt: '2026-03-06',
  dueDate: '2027-12-31',
  priority: 2,
  result: 'IN_PROGRESS',
  description: 'Đang dự thảo',
};
const KPI = {
  indicatorGroup: 'A.02 - Chỉ số kết quả',
  indicatorCode: 'A.02.01',
  indicatorName: 'Mức đóng góp của TFP',
  unit: '%',
  periodType: 'QUARTER',
  period: '2026-Q2',
  target: '>55% vào năm 2030',
  reportingAgency: 'Bộ Tài chính',
  periodResult: '46.5',
  cumulativeResult: '47.1',
};
const FIELDS = {
  task: [...Object.keys(TASK), 'completedAt', 'difficulties', 'proposals', 'attachments', 'classification'],
  kpi: [...Object.keys(KPI), 'methodology', 'progressDescription', 'difficulties', 'proposals', 'attachments', 'classification'],
};

const long = (n: number) => 'ệ'.repeat(n);
/** Every kind of value: each type, each length limit and its neighbour, dates, codes, enums, UUIDs, NFC. */
const VALUES: unknown[] = [
  ABSENT, undefined, null, '', ' ', '   ', 'x', ' x ', NFD_UNIT, 'Bộ Tài chính', 'DROP TABLE',
  ...[50, 100, 300, 500, 1000, 2000, 5000, 10000, 20000].flatMap((n) => [long(n), long(n + 1)]),
  ' '.repeat(2) + long(300), long(300) + ' ',
  0, 1, 2, 5, 6, -1, 1.5, 46.5, 1e21, NaN, Infinity, -Infinity, true, false,
  '1', '2026', '2026-05', '2026-13', '2026-Q2', '2026-Q5', 'Q2-2026',
  '2026-02-28', '2024-02-29', '2023-02-29', '2026-02-30', '2026-2-28', '2026-02-28T00:00:00Z', '20260228', '0000-01-01', '9999-12-31',
  'A.02_x-1', '_x', '.x', 'a b', 'Đ', 'x'.repeat(100), 'x'.repeat(101),
  'COMPLETED', 'IN_PROGRESS', 'NOT_STARTED', 'DONE', 'completed', 'UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET', 'PUBLIC', 'MONTH', 'QUARTER', 'YEAR', 'DECADE',
  UUID, UUID.toUpperCase(), 'not-a-uuid',
  [], [''], ['x'], ['Bộ Tư pháp', 'Bộ Nội vụ'], [NFD_UNIT], [long(301)], [1], [null], [undefined], [true], [['x']], [{}], [UUID], [UUID, UUID.toUpperCase()], [UUID, 'nope'], [UUID, 5],
  Array(50).fill(UUID), Array(51).fill(UUID), Array(100).fill('x'), Array(101).fill('x'),
  // eslint-disable-next-line no-sparse-arrays
  [UUID, , UUID], ['x', , 'y'],
  {}, { a: 1 }, { value: 'x' }, new Date(0), new Set(['x']), new Map([['x', 'y']]), () => 'x', Symbol('s'), 10n,
];

function withValue(base: Record<string, unknown>, field: string, value: unknown) {
  const item: Record<string, unknown> = { ...base };
  if (value === ABSENT) delete item[field];
  else item[field] = value;
  return item;
}

/** A small deterministic generator, so that a failure names an item that comes back. */
function lcg(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

function corpus(base: Record<string, unknown>, fields: string[]): unknown[] {
  const items: unknown[] = [base, {}, [], 'not an object', null, 42, true, Object.create(null), Object.assign(Object.create(null), base)];
  for (const field of fields) for (const value of VALUES) items.push(withValue(base, field, value));
  const pick = lcg(11);
  for (let n = 0; n < 400; n++) {
    let item: Record<string, unknown> = { ...base };
    for (let k = 1 + pick(4); k > 0; k--) item = withValue(item, fields[pick(fields.length)], VALUES[pick(VALUES.length)]);
    items.push(item);
  }
  // Unknown keys, including the names class-transformer never copies onto an instance.
  for (const key of ['colour', 'extra', '', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype', 'taskcode', 'leadunit']) {
    items.push({ ...base, [key]: 'x' });
    items.push({ ...base, [key]: undefined });
  }
  items.push(JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(base).slice(1)}`));
  items.push(Object.assign(new (class Other {})(), base));
  return items;
}

const describeItem = (item: unknown) => {
  try {
    return JSON.stringify(item)?.slice(0, 300) ?? String(item);
  } catch {
    return String(item);
  }
};

function expectSameAnswers(type: new () => object, items: unknown[]) {
  let fastAccepted = 0;
  let valid = 0;
  for (const item of items) {
    const reference = validateItemReference(type, item);
    const answer = validateItem(type, item);
    const fast = typeof item === 'object' && item !== null && !Array.isArray(item) ? validateItemFast(type, item) : undefined;
    if (reference.value) valid++;
    if (fast) {
      fastAccepted++;
      // The fast path never accepts what the reference refuses, and builds the same instance.
      expect([describeItem(item), reference.problems]).toEqual([describeItem(item), []]);
      expect(Object.getPrototypeOf(fast)).toBe(type.prototype);
      expect(Object.keys(fast)).toEqual(Object.keys(reference.value!));
      expect(fast).toStrictEqual(reference.value);
      // class-transformer copies every array and object: the instance shares none with the item.
      for (const [key, value] of Object.entries(fast)) {
        const given = (item as Record<string, unknown>)[key];
        if (typeof given === 'object' && given !== null) expect([key, value === given]).toEqual([key, false]);
        if (Array.isArray(given) && Array.isArray(value)) value.forEach((v, n) => typeof v === 'object' && v !== null && expect([key, n, v === given[n]]).toEqual([key, n, false]));
      }
    }
    expect([describeItem(item), answer]).toStrictEqual([describeItem(item), reference]);
  }
  return { fastAccepted, valid, total: items.length };
}

describe('validateItem: the fast path answers as class-transformer + class-validator do', () => {
  it.each([
    ['TaskResultInputDto', TaskResultInputDto, TASK, FIELDS.task],
    ['KpiResultInputDto', KpiResultInputDto, KPI, FIELDS.kpi],
  ])('%s, over every field with every kind of value', (_name, type, base, fields) => {
    const counts = expectSameAnswers(type, corpus(base, fields));
    // The corpus has both kinds in number, and the fast path does take the valid ones.
    expect(counts.valid).toBeGreaterThan(200);
    expect(counts.total - counts.valid).toBeGreaterThan(1000);
    expect(counts.fastAccepted).toBeGreaterThan(counts.valid * 0.9);
  });

  it('keeps the messages and paths the API documents', () => {
    const bad = { ...TASK, priority: 9, extra: true, dueDate: '2026-02-30', coordinatingUnits: ['ok', ''], attachments: [UUID, 'x'], leadUnit: '   ' };
    expect(validateItem(TaskResultInputDto, bad).problems).toEqual([
      { field: 'extra', problem: 'should not exist' },
      { field: 'leadUnit', problem: 'must be longer than or equal to 1 characters' },
      { field: 'coordinatingUnits', problem: 'each value in coordinatingUnits must be longer than or equal to 1 and shorter than or equal to 300 characters' },
      { field: 'dueDate', problem: 'must be a real calendar date' },
      { field: 'priority', problem: 'must not be greater than 5' },
      { field: 'attachments', problem: 'each must be an attachmentId (UUID)' },
    ]);
    expect(validateItem(KpiResultInputDto, { ...KPI, periodResult: undefined, periodType: 'DECADE' }).problems).toEqual([
      { field: 'periodType', problem: 'must be one of MONTH, QUARTER, HALF_YEAR, YEAR, AD_HOC' },
      // Not a string at all: its length is no problem of its own (toFieldProblems keeps the type's).
      { field: 'periodResult', problem: 'must be a string' },
    ]);
  });

  it('takes the fast path for valid items, applying the DTO transforms', () => {
    const task = validateItemFast(TaskResultInputDto, { ...TASK, leadUnit: NFD_UNIT }) as TaskResultInputDto;
    expect(task).toBeInstanceOf(TaskResultInputDto);
    expect(task.leadUnit).toBe('Bộ Tài chính');
    const kpi = validateItemFast(KpiResultInputDto, { ...KPI, periodResult: 46.5, cumulativeResult: 0 }) as KpiResultInputDto;
    expect([kpi.periodResult, kpi.cumulativeResult]).toEqual(['46.5', '0']);
  });

  describe('DTOs the fast path does not reproduce go the full way', () => {
    class Child {
      @IsInt()
      n: number;
    }
    class WithNested {
      @ValidateNested()
      @Type(() => Child)
      child: Child;
    }
    class WithExpose {
      @Expose({ name: 'other' })
      @IsString()
      name: string;
    }
    class WithGroupTransform {
      @Transform(({ value }) => `${value}!`, { groups: ['g'] })
      @IsString()
      @MaxLength(2)
      name: string;
    }
    class WithBareField {
      @IsString()
      name: string;

      // No validation decorator: class-validator's whitelist refuses it even when absent (a class field).
      note?: string;
    }
    class WithFreeArray {
      @IsArray()
      list: unknown[];
    }
    class Inherited extends TaskResultInputDto {
      @IsOptional()
      @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
      @IsString()
      @MaxLength(3)
      note?: string;
    }

    it.each([
      ['nested validation', WithNested, [{ child: { n: 1 } }, { child: { n: 'x' } }, { child: 'x' }, {}], false],
      ['@Expose', WithExpose, [{ name: 'x' }, { other: 'x' }, {}], false],
      ['a transform limited to groups', WithGroupTransform, [{ name: 'ab' }, { name: 'abc' }], true],
      ['a field without validation', WithBareField, [{ name: 'x' }, { name: 'x', note: 'y' }, {}], false],
      ['an array of anything', WithFreeArray, [{ list: [] }, { list: ['x', 1] }, { list: [{ a: 1 }, ['x']] }, { list: 'x' }], true],
      ['an inherited DTO', Inherited, corpus({ ...TASK, note: 'ab' }, ['note', 'leadUnit', 'priority']), true],
    ])('%s', (_label, type, items, fast) => {
      const counts = expectSameAnswers(type as new () => object, items as unknown[]);
      if (fast) expect(counts.fastAccepted).toBeGreaterThan(0);
      else expect(counts.fastAccepted).toBe(0);
    });
  });
});
