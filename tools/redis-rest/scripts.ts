// Lua script compatibility: strips Upstash-only shebang flags and maps client SHA1s to stored SHA1s.
import { createHash } from "node:crypto";

/** Shebang flags stock Redis 7 understands for EVAL scripts. */
const KNOWN_FLAGS = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);

export function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/**
 * Rewrites a `#!lua flags=...` first line so it only names flags stock Redis knows.
 * Returns the script unchanged (same string) when nothing had to be dropped. The shebang
 * line itself is kept (as `#!lua` if no flags remain) so Lua line numbers do not shift.
 */
export function sanitizeScript(script: string): string {
  if (!script.startsWith("#!")) return script;
  let eol = script.indexOf("\n");
  if (eol === -1) eol = script.length;
  const line = script.slice(0, eol);
  const tokens = line.split(/[ \t]+/);
  let changed = false;
  const kept: string[] = [];
  for (const token of tokens) {
    if (token.startsWith("flags=")) {
      const flags = token.slice(6).split(",");
      const known = flags.filter((f) => f === "" || KNOWN_FLAGS.has(f));
      if (known.length !== flags.length) {
        changed = true;
        const nonEmpty = known.filter((f) => f !== "");
        if (nonEmpty.length > 0) kept.push(`flags=${nonEmpty.join(",")}`);
        continue;
      }
    }
    if (token !== "") kept.push(token);
  }
  if (!changed) return script;
  return kept.join(" ") + script.slice(eol);
}

interface Rewritten {
  /** Script text actually sent to Redis. */
  stored: string;
  /** SHA1 the client computed (of the text it sent). */
  clientSha: string;
}

/**
 * Remembers every script whose text had to be rewritten, keyed by the client's SHA1, so that
 * EVALSHA / SCRIPT EXISTS with the client's hard-coded hashes hit Redis' cache directly.
 */
export class ScriptRegistry {
  /** client sha1 (lowercase) -> sha1 of the script as stored in Redis */
  readonly #shaMap = new Map<string, string>();
  /** original script text -> rewrite result (saves re-hashing on every EVAL) */
  readonly #byText = new Map<string, Rewritten | null>();

  /** Returns the text to send to Redis for `script`, recording the SHA translation if it changed. */
  rewrite(script: string): Rewritten | null {
    const cached = this.#byText.get(script);
    if (cached !== undefined) return cached;
    const stored = sanitizeScript(script);
    let result: Rewritten | null = null;
    if (stored !== script) {
      result = { stored, clientSha: sha1(script) };
      this.#shaMap.set(result.clientSha, sha1(stored));
    }
    // Bound memory if someone EVALs endless distinct scripts.
    if (this.#byText.size > 10_000) this.#byText.clear();
    this.#byText.set(script, result);
    return result;
  }

  /** Maps a client-side SHA1 to the SHA1 Redis knows, or returns it unchanged. */
  translateSha(sha: string): string {
    return this.#shaMap.get(sha) ?? this.#shaMap.get(sha.toLowerCase()) ?? sha;
  }

  get size(): number {
    return this.#shaMap.size;
  }
}

/** What to do with a command before sending it, and how to post-process the reply. */
export interface PreparedScriptCommand {
  args: string[];
  /** For SCRIPT LOAD of a rewritten script: reply with the client's SHA1 instead of Redis'. */
  replaceReply?: string;
}

/**
 * Rewrites EVAL / EVAL_RO / EVALSHA / EVALSHA_RO / SCRIPT LOAD / SCRIPT EXISTS arguments in place.
 * `upper` is the upper-cased command name. Other commands are returned untouched.
 */
export function prepareScriptCommand(
  registry: ScriptRegistry,
  upper: string,
  args: string[],
): PreparedScriptCommand {
  if (args.length < 2) return { args };
  switch (upper) {
    case "EVAL":
    case "EVAL_RO": {
      const r = registry.rewrite(args[1] as string);
      if (r) args[1] = r.stored;
      return { args };
    }
    case "EVALSHA":
    case "EVALSHA_RO":
      args[1] = registry.translateSha(args[1] as string);
      return { args };
    case "SCRIPT": {
      const sub = (args[1] as string).toUpperCase();
      if (sub === "LOAD" && args.length === 3) {
        const r = registry.rewrite(args[2] as string);
        if (!r) return { args };
        args[2] = r.stored;
        return { args, replaceReply: r.clientSha };
      }
      if (sub === "EXISTS") {
        for (let i = 2; i < args.length; i++) args[i] = registry.translateSha(args[i] as string);
      }
      return { args };
    }
    default:
      return { args };
  }
}
