import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses an agreement's allowed source addresses: single addresses or CIDR blocks, IPv4 or IPv6.
 * Throws naming the first bad entry, so the control plane can validate an agreement with it.
 */
export function parseAllowedSources(entries: readonly string[]): Range[] {
  return entries.map((entry) => {
    const text = entry.trim();
    try {
      if (text.includes('/')) return ipaddr.parseCIDR(text);
      const address = ipaddr.parse(text);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as Range;
    } catch {
      throw new Error(`Not an IP address or CIDR block: "${entry}"`);
    }
  });
}

const parsed = new Map<string, Range[]>();

/**
 * Whether `address` (the TCP peer of the mTLS connection) is allowed by the agreement. An empty
 * or absent list allows any address. An IPv4-mapped IPv6 peer (::ffff:a.b.c.d) is compared as
 * IPv4. Entries that do not parse never match (the agreement is validated when recorded).
 */
export function sourceAllowed(address: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  let peer: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    peer = ipaddr.process(address);
  } catch {
    return false;
  }
  return rangesOf(allowed).some(([range, bits]) => {
    if (range.kind() === peer.kind()) return peer.match(range, bits);
    if (peer.kind() === 'ipv4' && range.kind() === 'ipv6') return (peer as ipaddr.IPv4).toIPv4MappedAddress().match(range, bits);
    return false;
  });
}

function rangesOf(allowed: readonly string[]): Range[] {
  const key = allowed.join(',');
  let ranges = parsed.get(key);
  if (!ranges) {
    ranges = allowed.flatMap((entry) => {
      try {
        return parseAllowedSources([entry]);
      } catch {
        return [];
      }
    });
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(key, ranges);
  }
  return ranges;
}
