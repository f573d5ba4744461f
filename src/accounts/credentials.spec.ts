import { generateSecret, generateSync } from 'otplib';
import { activationCodePart, activationHash, sameHash, totpVerdict } from './credentials.js';

describe('credentials', () => {
  it('tells a right but already used TOTP code from a wrong one', () => {
    const secret = generateSecret();
    const step = Math.floor(Date.now() / 30_000);
    const code = generateSync({ secret, epoch: step * 30 });
    expect(totpVerdict(secret, code, null)).toBe(step);
    expect(totpVerdict(secret, code, step)).toBe('reused');
    const wrong = code === '000000' ? '000001' : '000000';
    expect(totpVerdict(secret, wrong, step)).toBeNull();
    expect(totpVerdict(secret, generateSync({ secret, epoch: (step + 1) * 30 }), step)).toBe(step + 1);
  });

  it('makes activation parts of 80 bits that survive being typed back in another case or spacing', () => {
    const a = activationCodePart();
    const b = activationCodePart();
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(a).not.toBe(b);
    const stored = activationHash(a, b);
    expect(sameHash(stored, activationHash(a.toLowerCase().replace(/-/g, ' '), b))).toBe(true);
    expect(sameHash(stored, activationHash(b, a))).toBe(false);
    expect(sameHash(stored, activationHash(a, a))).toBe(false);
  });
});
