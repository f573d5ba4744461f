import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

/**
 * Blocks webhook targets inside the gateway's own network (SSRF): loopback, private, link-local,
 * carrier-grade NAT, multicast, unspecified, and every address of this machine. Checked when a
 * webhook is registered and again before each delivery (the name may resolve differently later).
 */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
// ::/96 (IPv4-compatible), NAT64, 6to4 and site-local embed or reach internal IPv4 space too.
const BLOCKED_V6: Array<[string, number]> = [
  ['::', 96], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

const blockList = new net.BlockList();
for (const [address, prefix] of BLOCKED_V4) blockList.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of BLOCKED_V6) blockList.addSubnet(address, prefix, 'ipv6');

function isInternal(address: string): boolean {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  const mapped = family === 'ipv6' && address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : null;
  if (mapped && net.isIPv4(mapped)) return isInternal(mapped);
  const own = Object.values(os.networkInterfaces()).flat().some((i) => i?.address === address);
  return own || blockList.check(address, family);
}

const NOT_ALLOWED = "is not an allowed target: it points into the gateway's own network";

export type Resolver = (host: string) => Promise<string[]>;
const resolveAll: Resolver = async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address);

/**
 * Checks a webhook URL and returns the address to connect to: the one that was checked. Connecting
 * by name after the check would let a name that resolves to a public address now and to an
 * internal one a moment later (DNS rebinding) slip through. `address` is null when private targets
 * are allowed (development): the name is then resolved as usual. https only, always: allowing
 * private targets is about where the receiver is, not about sending the notices in clear.
 * A refusal never names the address a name resolved to: that would let anyone who may register a
 * webhook map the gateway's internal network, one name at a time.
 */
export async function vetWebhookTarget(rawUrl: string, allowPrivate: boolean, resolve: Resolver = resolveAll): Promise<{ problem: string } | { url: URL; address: string | null }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (url.protocol !== 'https:') return { problem: 'must be an https:// URL' };
  if (url.username || url.password) return { problem: 'must not carry credentials' };
  if (allowPrivate) return { url, address: null };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : await resolve(host);
  } catch {
    return { problem: `host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { problem: `host ${host} does not resolve` };
  return addresses.some(isInternal) ? { problem: NOT_ALLOWED } : { url, address: addresses[0] };
}

/** The problem with a webhook URL, or null when it may be used (checked again at each delivery). */
export async function webhookTargetProblem(rawUrl: string, allowPrivate: boolean): Promise<string | null> {
  const vetted = await vetWebhookTarget(rawUrl, allowPrivate);
  return 'problem' in vetted ? vetted.problem : null;
}
