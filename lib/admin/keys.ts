// Limit keys as an operator types them (`user:<id>`, `ip:<addr>`), written the limiter's way, and their layers.
import { getConfig } from "../config";
import { normalizeIp, UNKNOWN_IP } from "../identity/client-ip";
import { type ChatLayers, checksFor, type LayerCheck } from "../ratelimit/layers";
import { USER_ID_PATTERN } from "../wire/limits";

export type LimitKey = { kind: "user"; key: string } | { kind: "ip"; key: string; address: string };

/**
 * The key as the limiter writes it, or an error message. Addresses are normalised as the limiter keys
 * callers: an IPv6 address (or its network, e.g. `2001:db8:1:2::/64`) becomes its IPV6_SUBNET network, an
 * IPv4-mapped one its IPv4 address; `ip:unknown` is the shared bucket of unattributable requests.
 */
export function parseLimitKey(raw: string): LimitKey | string {
  const value = raw.trim();
  if (value.startsWith("user:")) {
    return USER_ID_PATTERN.test(value.slice(5))
      ? { kind: "user", key: value }
      : "a user key is user:<id>, the id printable characters without spaces (at most 256)";
  }
  if (!value.startsWith("ip:")) return "a key is user:<id> or ip:<address>";
  const address = canonicalAddress(value.slice(3));
  return address === null
    ? "ip:<address> needs an IPv4 or IPv6 address (or unknown)"
    : { kind: "ip", key: `ip:${address}`, address };
}

function canonicalAddress(text: string): string | null {
  if (text === UNKNOWN_IP) return UNKNOWN_IP;
  const subnet = getConfig().proxy.ipv6Subnet;
  const [host = "", prefix, ...rest] = text.split("/");
  // A network is accepted only at the width the limiter keys IPv6 callers by.
  if (rest.length > 0 || (prefix !== undefined && (prefix !== String(subnet) || !host.includes(":")))) {
    return null;
  }
  const address = normalizeIp(host, subnet);
  return address === UNKNOWN_IP ? null : address;
}

/**
 * The layer checks a key counts in. A user key: its per-user layers (its address is not known here).
 * An address: the per-user layers of anonymous callers from it, and both of its per-IP buckets
 * (`anon:` for anonymous callers, `verified:` for signed-in users behind it).
 */
export function checksOfKey(layers: ChatLayers, limitKey: LimitKey): LayerCheck[] {
  if (limitKey.kind === "user") {
    return checksFor(layers, { limitKey: limitKey.key, verified: true, clientIp: "" }).filter(
      (check) => check.layer.scope === "user",
    );
  }
  // A model's capacity is the whole app's, never one key's to look up or reset.
  const anonymous = checksFor(layers, {
    limitKey: limitKey.key,
    verified: false,
    clientIp: limitKey.address,
  }).filter((check) => check.layer.scope !== "model");
  const verified = checksFor(layers, { limitKey: limitKey.key, verified: true, clientIp: limitKey.address });
  return [...anonymous, ...verified.filter((check) => check.layer.scope === "ip")];
}
