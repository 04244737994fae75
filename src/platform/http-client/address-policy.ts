import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses outbound HTTP may connect to (SSRF guard). Range names are ipaddr.js's.
 *
 * - Public unicast: always allowed.
 * - private (10/8, 172.16/12, 192.168/16), loopback (127/8, ::1), carrierGradeNat (100.64/10) and
 *   uniqueLocal (fc00::/7): refused unless the operator allows private targets
 *   (TIANFU_OUTBOUND_ALLOW_PRIVATE); loopback alone can be allowed for tests.
 * - Everything else — link-local (169.254/16 with cloud metadata at 169.254.169.254, fe80::/10),
 *   multicast, broadcast, unspecified (0.0.0.0, ::), reserved, and IPv6 ranges that embed or tunnel
 *   an IPv4 address (6to4, Teredo, NAT64) — is always refused.
 */
export interface AddressPolicy {
  /** Operator switch: private networks, loopback, CGNAT and IPv6 ULA become reachable. */
  allowPrivate?: boolean;
  /** Loopback only (127.0.0.0/8, ::1): for tests against a local server. */
  allowLoopback?: boolean;
}

const PRIVATE_RANGES = new Set(['private', 'loopback', 'carrierGradeNat', 'uniqueLocal']);

/** Whether the operator switch (TIANFU_OUTBOUND_ALLOW_PRIVATE) could ever open this range. */
export function operatorMayAllow(range: string): boolean {
  return PRIVATE_RANGES.has(range);
}

export type AddressVerdict = { allowed: true; address: string; family: 4 | 6 } | { allowed: false; address: string; range: string };

/** Decides for one IP address (v4 or v6 text; IPv4-mapped IPv6 is judged as the IPv4 it carries). */
export function checkAddress(address: string, policy: AddressPolicy = {}): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, address, range: 'invalid' };
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  const family = parsed.kind() === 'ipv4' ? 4 : 6;
  const ok =
    range === 'unicast' ||
    (range === 'loopback' && (policy.allowLoopback || policy.allowPrivate)) ||
    (PRIVATE_RANGES.has(range) && policy.allowPrivate);
  return ok ? { allowed: true, address: parsed.toString(), family } : { allowed: false, address, range };
}

/** The host of a URL as an IP literal (brackets removed), or null when it is a name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : null;
}
