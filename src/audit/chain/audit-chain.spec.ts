import { type ChainedEntry, type ChainedFields, canonicalEntry, entryHash, GENESIS_HASH, V2_FIELDS } from './audit-chain.js';
import { canonicalJson } from './audit.service.js';
import { verifyAuditChain } from './audit-verifier.js';

const v1: ChainedFields = {
  seq: '7',
  occurredAt: '2026-11-23T08:00:07.000Z',
  requestId: '00000000-0000-4000-8000-000000000007',
  plane: 'data',
  environment: 'test',
  connectionId: null,
  certificateThumbprint: 'ab'.repeat(32),
  sourceAddress: '127.0.0.1',
  method: 'GET',
  path: '/api/v1/task-results?page=7',
  statusCode: 200,
  outcome: 'success',
  errorCode: null,
  durationMs: 7,
};

const v2: ChainedFields = {
  ...v1,
  plane: 'control',
  environment: null,
  certificateThumbprint: null,
  method: 'POST',
  path: '/control/v1/accounts/11111111-1111-4111-8111-111111111111/handover',
  format: 2,
  action: 'accounts.manage',
  actorAccountId: '22222222-2222-4222-8222-222222222222',
  actorUsername: 'admin',
  actorHolderName: 'Quản trị hệ thống',
  actorRole: 'SYSTEM_ADMIN',
  assistantAccountId: '33333333-3333-4333-8333-333333333333',
  assistantUsername: 'assistant',
  assistantHolderName: 'Trợ lý',
  targetType: 'account',
  targetId: '11111111-1111-4111-8111-111111111111',
  payloadSha256: 'cd'.repeat(32),
  details: canonicalJson({ previousHolder: 'A', newHolder: 'B' }),
};

describe('audit entry formats', () => {
  it('serialises a format-1 entry exactly as the first release did (its hashes must not change)', () => {
    // Computed with the canonicalEntry of commit 3864fcd (before audit-entry/v2 existed).
    expect(canonicalEntry(v1, GENESIS_HASH)).toBe(
      '["audit-entry/v1","7","2026-11-23T08:00:07.000Z","00000000-0000-4000-8000-000000000007","data","test",null,"abababababababababababababababababababababababababababababababab","127.0.0.1","GET","/api/v1/task-results?page=7",200,"success",null,7,"0000000000000000000000000000000000000000000000000000000000000000"]',
    );
    expect(entryHash(v1, GENESIS_HASH)).toBe('0c2a8898c54566fe68a7dfa02ed6a8788e4cf7dc795ac002eac744563d8c59e1');
    expect(entryHash({ ...v1, format: 1 }, GENESIS_HASH)).toBe(entryHash(v1, GENESIS_HASH));
    expect(entryHash({ ...v1, format: 1, action: null, details: null }, GENESIS_HASH)).toBe(entryHash(v1, GENESIS_HASH));
  });

  it('hashes every field of format 2', () => {
    const base = entryHash(v2, GENESIS_HASH);
    expect(JSON.parse(canonicalEntry(v2, GENESIS_HASH))[0]).toBe('audit-entry/v2');
    for (const name of V2_FIELDS) {
      expect([name, entryHash({ ...v2, [name]: null }, GENESIS_HASH)]).not.toEqual([name, base]);
      expect([name, entryHash({ ...v2, [name]: `${v2[name]}x` }, GENESIS_HASH)]).not.toEqual([name, base]);
    }
    // Ids compare as PostgreSQL's uuid type gives them back.
    expect(entryHash({ ...v2, actorAccountId: v2.actorAccountId!.toUpperCase() }, GENESIS_HASH)).toBe(base);
    // A format-2 entry without any v2 field still differs from the same entry in format 1.
    const bare = { ...v1, format: 2 };
    expect(entryHash(bare, GENESIS_HASH)).not.toBe(entryHash(v1, GENESIS_HASH));
  });

  it('cannot pass a v2 field off under format 1, nor an entry under another format', () => {
    for (const name of V2_FIELDS) {
      expect([name, entryHash({ ...v1, format: 1, [name]: 'x' }, GENESIS_HASH)]).not.toEqual([name, entryHash(v1, GENESIS_HASH)]);
    }
    expect(entryHash({ ...v2, format: 1 }, GENESIS_HASH)).not.toBe(entryHash(v2, GENESIS_HASH));
    expect(entryHash({ ...v2, format: 3 }, GENESIS_HASH)).not.toBe(entryHash(v2, GENESIS_HASH));
  });

  it('verifies a chain that begins in format 1 and continues in format 2, and locates an edit in either', () => {
    const link = (entries: ChainedFields[]): ChainedEntry[] => {
      let prev = GENESIS_HASH;
      return entries.map((f, i) => {
        const e = { ...f, seq: String(i + 1), id: String(i + 1), prevHash: prev, entryHash: '' };
        e.entryHash = entryHash(e, prev);
        prev = e.entryHash;
        return e;
      });
    };
    const entries = link([v1, v1, v2, v2]);
    expect(verifyAuditChain(entries, { checkpoints: [], trustedKeys: new Map() })).toMatchObject({ ok: true, entriesChecked: 4 });
    const edited = entries.map((e) => ({ ...e }));
    edited[1].path = '/elsewhere';
    edited[3].actorHolderName = 'Người khác';
    const report = verifyAuditChain(edited, { checkpoints: [], trustedKeys: new Map() });
    expect(report.failures.map((f) => [f.kind, f.seq])).toEqual([['altered', '2'], ['altered', '4']]);
  });

  it('stores details as JSON with sorted keys, whatever order they were given in', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
