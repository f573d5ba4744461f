import { scanUrl } from './attack-signatures.js';

describe('scanUrl', () => {
  it('answers a URL asked for again (from its memory) as it did the first time', () => {
    const probe = `/api/v1/task-results?leadUnit=${encodeURIComponent("x' OR '1'='1")}`;
    const clean = '/api/v1/task-results?limit=100';
    for (let time = 0; time < 3; time++) {
      expect(scanUrl(probe)).toEqual({ kind: 'sql-injection', where: 'query' });
      expect(scanUrl(clean)).toBeNull();
    }
    expect(scanUrl('/api/v1/../etc/passwd')).toEqual({ kind: 'path-traversal', where: 'path' });
  });

  it('scans URLs too long to remember, every time', () => {
    const long = `/api/v1/task-results?leadUnit=${'a'.repeat(1200)}${encodeURIComponent('<script>')}`;
    expect(scanUrl(long)).toEqual({ kind: 'xss', where: 'query' });
    expect(scanUrl(long)).toEqual({ kind: 'xss', where: 'query' });
    expect(scanUrl(`/api/v1/task-results?leadUnit=${'a'.repeat(1200)}`)).toBeNull();
  });
});
