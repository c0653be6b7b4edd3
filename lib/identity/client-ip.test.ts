import { describe, expect, it } from "vitest";
import { type ClientIpOptions, clientIpFromHeaders, normalizeIp } from "./client-ip";

const selfHosted: ClientIpOptions = { onVercel: false, trustedHops: 1, ipv6Subnet: 64 };

function ip(headers: Record<string, string>, opts: Partial<ClientIpOptions> = {}): string {
  return clientIpFromHeaders(new Headers(headers), { ...selfHosted, ...opts });
}

describe("clientIpFromHeaders (self-hosted)", () => {
  it("hops=1 takes the rightmost X-Forwarded-For entry", () => {
    expect(ip({ "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7");
    expect(ip({ "x-forwarded-for": "10.0.0.1, 198.51.100.2" })).toBe("198.51.100.2");
  });

  it("hops=2 takes the second entry from the right", () => {
    expect(ip({ "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }, { trustedHops: 2 })).toBe(
      "203.0.113.9",
    );
  });

  it("ignores a spoofed leftmost entry", () => {
    expect(ip({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" })).toBe("203.0.113.7");
    expect(ip({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" }, { trustedHops: 2 })).toBe(
      "203.0.113.7",
    );
  });

  it("maps rotating forged leftmost values to the same key", () => {
    const keys = new Set(
      ["1.2.3.4", "5.6.7.8", "garbage", "::1", ""].map((forged) =>
        ip({ "x-forwarded-for": `${forged}, 203.0.113.7` }),
      ),
    );
    expect([...keys]).toEqual(["203.0.113.7"]);
  });

  it("reads repeated X-Forwarded-For headers in order", () => {
    const headers = new Headers();
    headers.append("x-forwarded-for", "6.6.6.6");
    headers.append("x-forwarded-for", "203.0.113.7");
    expect(clientIpFromHeaders(headers, selfHosted)).toBe("203.0.113.7");
  });

  it("answers unknown when there are fewer entries than trusted hops", () => {
    expect(ip({ "x-forwarded-for": "6.6.6.6" }, { trustedHops: 2 })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "6.6.6.6, 7.7.7.7" }, { trustedHops: 3 })).toBe("unknown");
  });

  it("hops=0 trusts no header at all", () => {
    expect(ip({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8" }, { trustedHops: 0 })).toBe(
      "unknown",
    );
  });

  it("ignores x-real-ip off Vercel", () => {
    expect(ip({ "x-real-ip": "6.6.6.6" })).toBe("unknown");
    expect(ip({ "x-real-ip": "6.6.6.6", "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7");
  });

  it("missing, empty or garbage headers → unknown", () => {
    expect(ip({})).toBe("unknown");
    expect(ip({ "x-forwarded-for": "" })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "   " })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "1.2.3.4, " })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "not-an-ip" })).toBe("unknown");
    expect(ip({ "x-forwarded-for": "1.2.3.4, 999.1.1.1" })).toBe("unknown");
  });
});

describe("clientIpFromHeaders (Vercel)", () => {
  const vercel = { onVercel: true, trustedHops: 1 };

  it("prefers x-real-ip", () => {
    expect(ip({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" }, vercel)).toBe("203.0.113.7");
  });

  it("falls back to the first x-forwarded-for entry", () => {
    expect(ip({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }, vercel)).toBe("203.0.113.7");
  });

  it("normalizes and defaults to unknown", () => {
    expect(ip({ "x-real-ip": "2001:db8:1:2::99" }, vercel)).toBe("2001:db8:1:2::/64");
    expect(ip({}, vercel)).toBe("unknown");
    expect(ip({ "x-real-ip": "bogus" }, vercel)).toBe("unknown");
  });
});

describe("normalizeIp", () => {
  it("keeps IPv4 as a dotted quad and rejects odd spellings", () => {
    expect(normalizeIp(" 203.0.113.7 ", 64)).toBe("203.0.113.7");
    for (const odd of ["127.1", "2130706433", "0x7f.0.0.1", "01.2.3.4", "1.2.3.4.5", "256.0.0.1"]) {
      expect(normalizeIp(odd, 64), odd).toBe("unknown");
    }
  });

  it("groups IPv6 by /64", () => {
    const a = normalizeIp("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64);
    const b = normalizeIp("2001:0DB8:0001:0002::1", 64);
    const c = normalizeIp("2001:db8:1:3::1", 64);
    expect(a).toBe("2001:db8:1:2::/64");
    expect(b).toBe(a);
    expect(c).toBe("2001:db8:1:3::/64");
  });

  it("honours a /48 subnet", () => {
    expect(normalizeIp("2001:db8:1:2::1", 48)).toBe("2001:db8:1::/48");
    expect(normalizeIp("2001:db8:1:ffff::1", 48)).toBe("2001:db8:1::/48");
    expect(normalizeIp("2001:db8:2::1", 48)).toBe("2001:db8:2::/48");
    expect(ip({ "x-forwarded-for": "2001:db8:1:2::1" }, { ipv6Subnet: 48 })).toBe("2001:db8:1::/48");
  });

  it("unwraps IPv4-mapped IPv6", () => {
    expect(normalizeIp("::ffff:203.0.113.7", 64)).toBe("203.0.113.7");
    expect(normalizeIp("::FFFF:cb00:7107", 64)).toBe("203.0.113.7");
    expect(normalizeIp("[::ffff:203.0.113.7]:443", 64)).toBe("203.0.113.7");
  });

  it("strips ports, brackets and zone ids", () => {
    expect(normalizeIp("203.0.113.7:5678", 64)).toBe("203.0.113.7");
    expect(normalizeIp("[::1]:80", 128)).toBe("::1/128");
    expect(normalizeIp("[2001:db8::1]", 64)).toBe("2001:db8::/64");
    expect(normalizeIp("fe80::1%eth0", 64)).toBe("fe80::/64");
    expect(ip({ "x-forwarded-for": "6.6.6.6, [2001:db8:1:2::5]:4433" })).toBe("2001:db8:1:2::/64");
  });

  it("rejects malformed bracket/port forms", () => {
    for (const bad of ["[::1", "[::1]x", "[::1]:", "1.2.3.4:", "1.2.3.4:123456", "[]", "", "%eth0"]) {
      expect(normalizeIp(bad, 64), bad).toBe("unknown");
    }
  });
});
