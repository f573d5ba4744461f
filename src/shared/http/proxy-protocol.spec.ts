import { addressMatcher, parseProxyHeader } from './proxy-protocol.js';

const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

function v2(command: number, family: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0x20 | command;
  head[1] = (family << 4) | 1; // STREAM
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([SIGNATURE, head, body]);
}

function ipv4Body(source: number[], port: number, tlv = Buffer.alloc(0)): Buffer {
  const body = Buffer.alloc(12);
  Buffer.from(source).copy(body, 0);
  Buffer.from([127, 0, 0, 5]).copy(body, 4);
  body.writeUInt16BE(port, 8);
  body.writeUInt16BE(8443, 10);
  return Buffer.concat([body, tlv]);
}

describe('parseProxyHeader', () => {
  it('reads a v1 line and says how long it was, so the TLS bytes after it are kept', () => {
    const data = Buffer.from('PROXY TCP4 192.0.2.7 127.0.0.5 51234 8443\r\n\x16\x03\x01');
    expect(parseProxyHeader(data)).toEqual({ state: 'complete', length: data.length - 3, peer: { address: '192.0.2.7', port: 51234, family: 'IPv4' } });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::7 2001:db8::1 4000 443\r\n'))).toMatchObject({ peer: { address: '2001:db8::7', port: 4000, family: 'IPv6' } });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ state: 'complete', length: 15, peer: null });
  });

  it('waits for more bytes while the header could still be valid', () => {
    expect(parseProxyHeader(Buffer.from('PRO'))).toEqual({ state: 'incomplete' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.7 127.0.0.5 51234'))).toEqual({ state: 'incomplete' });
    const whole = v2(1, 1, ipv4Body([192, 0, 2, 7], 51234));
    expect(parseProxyHeader(whole.subarray(0, 5))).toEqual({ state: 'incomplete' });
    expect(parseProxyHeader(whole.subarray(0, whole.length - 1))).toEqual({ state: 'incomplete' });
  });

  it('refuses what is not a header: a TLS ClientHello, a malformed or overlong v1 line, a bad address', () => {
    expect(parseProxyHeader(Buffer.from([0x16, 0x03, 0x01, 0x02]))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.7 51234 8443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 999.0.2.7 127.0.0.5 51234 8443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 2001:db8::7 127.0.0.5 51234 8443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.7 127.0.0.5 99999 8443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).toMatchObject({ state: 'invalid', reason: expect.stringContaining('107') });
  });

  it('reads v2 PROXY for IPv4 and IPv6, skipping TLVs; LOCAL carries no caller', () => {
    const tlv = Buffer.from([0x01, 0x00, 0x02, 0x68, 0x32]); // ALPN "h2"
    const header = v2(1, 1, ipv4Body([192, 0, 2, 7], 51234, tlv));
    expect(parseProxyHeader(Buffer.concat([header, Buffer.from([0x16])]))).toEqual({ state: 'complete', length: header.length, peer: { address: '192.0.2.7', port: 51234, family: 'IPv4' } });
    const six = Buffer.alloc(36);
    Buffer.from([0x20, 0x01, 0x0d, 0xb8]).copy(six, 0);
    six[15] = 7;
    six.writeUInt16BE(4000, 32);
    expect(parseProxyHeader(v2(1, 2, six))).toMatchObject({ state: 'complete', peer: { address: '2001:db8::7', port: 4000, family: 'IPv6' } });
    expect(parseProxyHeader(v2(0, 0, Buffer.alloc(0)))).toEqual({ state: 'complete', length: 16, peer: null });
  });

  it('refuses a v2 header with a bad version, command or a short address block', () => {
    const good = v2(1, 1, ipv4Body([192, 0, 2, 7], 1));
    const badVersion = Buffer.from(good);
    badVersion[12] = 0x11;
    expect(parseProxyHeader(badVersion)).toMatchObject({ state: 'invalid', reason: 'unsupported version' });
    expect(parseProxyHeader(v2(2, 1, ipv4Body([192, 0, 2, 7], 1)))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(v2(1, 1, Buffer.alloc(4)))).toMatchObject({ state: 'invalid' });
  });
});

describe('addressMatcher', () => {
  it('matches single addresses and CIDR blocks, IPv4-mapped IPv6 peers as IPv4, nothing when empty', () => {
    const match = addressMatcher('10.0.0.5, 192.168.10.0/24,2001:db8::/32');
    expect(['10.0.0.5', '::ffff:10.0.0.5', '192.168.10.77', '2001:db8::1'].map(match)).toEqual([true, true, true, true]);
    expect(['10.0.0.6', '192.168.11.1', '2001:db9::1', 'nonsense', undefined].map(match)).toEqual([false, false, false, false, false]);
    expect(addressMatcher(undefined)('10.0.0.5')).toBe(false);
  });
});
