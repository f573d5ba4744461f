import { generateSecret, generateSync } from 'otplib';
import { activationCodePart, activationHash, sameHash, totpVerdict } from './credentials.js';

describe('credentials', () => {
  it('tells a right but already used TOTP code from a wrong one', () => {
    const secret = generateSecret();
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    const code = generateSync({ secret, epoch: step * 30 });
    expect(totpVerdict(secret, code, null, now)).toBe(step);
    expect(totpVerdict(secret, code, step, now)).toBe('reused');
    const wrong = code === '000000' ? '000001' : '000000';
    expect(totpVerdict(secret, wrong, step, now)).toBeNull();
    expect(totpVerdict(secret, generateSync({ secret, epoch: (step + 1) * 30 }), step, now)).toBe(step + 1);
    // Checked at the time the gateway's Clock gives, not the machine's: an hour on, it is no code.
    expect(totpVerdict(secret, code, null, now + 3_600_000)).toBeNull();
    expect(totpVerdict(secret, generateSync({ secret, epoch: step * 30 + 3600 }), null, now + 3_600_000)).toBe(step + 120);
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
