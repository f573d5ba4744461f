import { citizenIdPurpose, decryptPersonalData, encryptPersonalData, maskCitizenId } from './personal-data.js';
import { passwordWeakness } from './password-policy.js';

const config = { PERSONAL_DATA_KEY: 'k'.repeat(40) };

describe('personal data at rest', () => {
  it('encrypts with a fresh nonce each time and decrypts only for the same purpose and key', () => {
    const a = encryptPersonalData(config, '001099001289', citizenIdPurpose('a'));
    expect(a).not.toContain('001099001289');
    expect(encryptPersonalData(config, '001099001289', citizenIdPurpose('a'))).not.toBe(a);
    expect(decryptPersonalData(config, a, citizenIdPurpose('a'))).toBe('001099001289');
    // Copied to another account's row, or read with another key: refused, not misread.
    expect(() => decryptPersonalData(config, a, citizenIdPurpose('b'))).toThrow();
    expect(() => decryptPersonalData({ PERSONAL_DATA_KEY: 'x'.repeat(40) }, a, citizenIdPurpose('a'))).toThrow();
  });

  it('masks all but the first four and the last two digits', () => {
    expect(maskCitizenId('001099001289')).toBe('0010******89');
  });
});

describe('password policy', () => {
  it('names why a password is refused, and accepts a long unusual one', () => {
    expect(passwordWeakness('short', 3, [])).toBe('must be 12 to 200 characters long');
    expect(passwordWeakness('password1234', 3, [])).toMatch(/breach lists/);
    expect(passwordWeakness('nguyen.van.a.2026', 3, ['nguyen.van.a'])).toMatch(/strength [0-2]\/4/);
    expect(passwordWeakness('Mây trắng bay qua đỉnh núi 7', 3, [])).toBeNull();
  });
});
