// Derives the rate-limit IP key from proxy headers without letting the client pick it.
import ipaddr from "ipaddr.js";

export interface ClientIpOptions {
  /** VERCEL=1: Vercel's edge overwrites x-real-ip / x-forwarded-for with the connecting address. */
  onVercel: boolean;
  /** How many reverse proxies we control sit in front of the app, each appending to X-Forwarded-For. */
  trustedHops: number;
  /** IPv6 clients are keyed by this prefix: one subscriber usually owns a whole /64 (or /56, /48). */
  ipv6Subnet: number;
}

/** One shared bucket for everything we can't attribute: never "no limit". */
export const UNKNOWN_IP = "unknown";

/**
 * The client address as a rate-limit key: a dotted quad for IPv4 (IPv4-mapped IPv6 included), the
 * canonical `/ipv6Subnet` network for IPv6 (e.g. `2001:db8:1:2::/64`), or "unknown".
 *
 * Off Vercel, X-Forwarded-For is read from the RIGHT: each of our `trustedHops` proxies appends the
 * address it saw, so entry `trustedHops` from the right was written by our outermost proxy. Everything
 * left of it came from the client and is ignored (the old code took the leftmost: freely forgeable).
 *
 * - Fewer entries than hops → "unknown". The request skipped a proxy we expect, and `next start` only
 *   fills X-Forwarded-For from the socket when the header is ABSENT (it never appends), so a request
 *   that reached Next directly with `X-Forwarded-For: <anything>` would otherwise choose its own key.
 *   Such requests share one bucket instead: they can't gain quota, only throttle each other.
 * - hops = 0 ("no proxy") → always "unknown". Route handlers have no socket-address API, and with
 *   nothing in front of Next every X-Forwarded-For / X-Real-IP value is either client-supplied or
 *   indistinguishable from one. Deployments that want per-IP limits must put a proxy in front and
 *   count it here; x-real-ip is likewise only trusted on Vercel, where the platform sets it.
 */
export function clientIpFromHeaders(headers: Headers, opts: ClientIpOptions): string {
  if (opts.onVercel) {
    const realIp = headers.get("x-real-ip");
    if (realIp?.trim()) return normalizeIp(realIp, opts.ipv6Subnet);
    const first = splitForwardedFor(headers.get("x-forwarded-for"))[0];
    return first === undefined ? UNKNOWN_IP : normalizeIp(first, opts.ipv6Subnet);
  }
  if (opts.trustedHops < 1) return UNKNOWN_IP;
  const entries = splitForwardedFor(headers.get("x-forwarded-for"));
  const entry = entries[entries.length - opts.trustedHops];
  return entry === undefined ? UNKNOWN_IP : normalizeIp(entry, opts.ipv6Subnet);
}

// Repeated X-Forwarded-For headers arrive joined with ", " by Headers#get, in order, so one split covers both.
function splitForwardedFor(value: string | null): string[] {
  if (!value) return [];
  return value.split(",").map((part) => part.trim());
}

/** Normalizes one address (ports, brackets, zone ids, IPv4-mapped IPv6) into its rate-limit key. */
export function normalizeIp(raw: string, ipv6Subnet: number): string {
  const host = stripPortAndZone(raw.trim());
  if (host === null) return UNKNOWN_IP;
  // Strict four-part decimal: ipaddr.parse would also accept "127.1", hex and bare integers, which let
  // one client spell the same address many ways.
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host).toString();
  if (!ipaddr.IPv6.isValid(host)) return UNKNOWN_IP;
  const v6 = ipaddr.IPv6.parse(host);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = Math.min(128, Math.max(1, Math.trunc(ipv6Subnet)));
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${v6.toNormalizedString()}/${prefix}`);
  return `${network.toRFC5952String()}/${prefix}`;
}

function stripPortAndZone(value: string): string | null {
  let host = value;
  if (host.startsWith("[")) {
    // "[v6]" or "[v6]:port"
    const end = host.indexOf("]");
    if (end < 0) return null;
    const rest = host.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
    host = host.slice(1, end);
  } else if (/^[\d.]+:\d{1,5}$/.test(host)) {
    // "v4:port"; a bare IPv6 has several colons and never matches this.
    host = host.slice(0, host.lastIndexOf(":"));
  }
  const zone = host.indexOf("%");
  if (zone >= 0) host = host.slice(0, zone);
  return host === "" ? null : host;
}
