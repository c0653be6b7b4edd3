// Redis side of the REST endpoint: one shared node-redis connection, script translation, MULTI/EXEC chains.
import { createClient, ErrorReply, RESP_TYPES } from "redis";
import { classifyCommand } from "./commands";
import { HttpError } from "./protocol";
import { prepareScriptCommand, ScriptRegistry } from "./scripts";

/** Outcome of one command: a raw RESP2 reply (bulk strings as Buffers) or a Redis error message. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

export interface BackendOptions {
  redisUrl: string;
  /** TCP connect timeout towards Redis (ms). Default 1000. */
  connectTimeoutMs?: number;
  /** Receives one line per connection state change (lost / restored). */
  log?: (line: string) => void;
}

type Client = ReturnType<typeof createClient>;

/** Bulk strings come back as Buffers so binary values survive the base64 encoding untouched. */
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;
const CMD_OPTS = { typeMapping: TYPE_MAPPING };

/** Redis could not be reached (or the connection dropped mid-request): answered with 503. */
export class RedisUnavailableError extends HttpError {
  constructor(cause: unknown) {
    super(503, `ERR Redis is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface Prepared {
  args: string[];
  replaceReply?: string;
  blocking: boolean;
}

function toOutcome(result: PromiseSettledResult<unknown>): Outcome {
  if (result.status === "fulfilled") return { ok: true, value: result.value };
  if (result.reason instanceof ErrorReply) return { ok: false, error: result.reason.message };
  throw new RedisUnavailableError(result.reason);
}

export class RedisBackend {
  readonly #client: Client;
  readonly scripts = new ScriptRegistry();
  #down = false;

  constructor(opts: BackendOptions) {
    const log = opts.log ?? (() => {});
    this.#client = createClient({
      url: opts.redisUrl,
      // Fail fast while Redis is down instead of queueing requests until it comes back.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: opts.connectTimeoutMs ?? 1000,
        reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 500),
      },
    });
    this.#client.on("error", (err: Error) => {
      if (this.#down) return;
      this.#down = true;
      log(`redis-rest: lost connection to Redis (${err.message}); retrying`);
    });
    this.#client.on("ready", () => {
      if (!this.#down) return;
      this.#down = false;
      log("redis-rest: reconnected to Redis");
    });
  }

  /** Starts connecting; resolves once connected. Requests fail with 503 until then. */
  connect(): Promise<unknown> {
    return this.#client.connect();
  }

  #prepare(args: string[]): Prepared {
    const upper = (args[0] as string).toUpperCase();
    const { blocking } = classifyCommand(upper, args);
    const { replaceReply } = prepareScriptCommand(this.scripts, upper, args);
    return { args, replaceReply, blocking };
  }

  static #finish(p: Prepared, outcome: Outcome): Outcome {
    return p.replaceReply !== undefined && outcome.ok ? { ok: true, value: p.replaceReply } : outcome;
  }

  /** Runs `fn` on a fresh connection that is closed afterwards (for blocking commands). */
  async #dedicated<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = this.#client.duplicate({ disableOfflineQueue: true });
    c.on("error", () => {});
    try {
      await c.connect();
    } catch (err) {
      c.destroy();
      throw new RedisUnavailableError(err);
    }
    try {
      return await fn(c);
    } finally {
      c.destroy();
    }
  }

  /** One command. Redis errors come back as `{ok: false}`; connection problems throw 503. */
  async exec(command: string[]): Promise<Outcome> {
    const p = this.#prepare(command);
    const client = p.blocking ? null : this.#client;
    if (client) {
      try {
        const value = await client.sendCommand(p.args, CMD_OPTS);
        return p.replaceReply === undefined ? { ok: true, value } : { ok: true, value: p.replaceReply };
      } catch (err) {
        if (err instanceof ErrorReply) return { ok: false, error: err.message };
        throw new RedisUnavailableError(err);
      }
    }
    return this.#dedicated(async (c) => {
      const [r] = await Promise.allSettled([c.sendCommand(p.args, CMD_OPTS)]);
      return RedisBackend.#finish(p, toOutcome(r as PromiseSettledResult<unknown>));
    });
  }

  /** Non-atomic batch, executed in order. A pipeline with a blocking command gets its own connection. */
  async pipeline(commands: string[][]): Promise<Outcome[]> {
    // An unsupported command fails on its own, like any other command error in a pipeline.
    const prepared = commands.map((c): Prepared | Outcome => {
      try {
        return this.#prepare(c);
      } catch (err) {
        if (err instanceof HttpError) return { ok: false, error: err.message };
        throw err;
      }
    });
    const run = async (c: Client): Promise<Outcome[]> => {
      const settled = await Promise.allSettled(
        prepared.map((p) => ("args" in p ? c.sendCommand(p.args, CMD_OPTS) : Promise.resolve(p))),
      );
      return settled.map((r, i) => {
        const p = prepared[i] as Prepared | Outcome;
        return "args" in p ? RedisBackend.#finish(p, toOutcome(r)) : p;
      });
    };
    return prepared.some((p) => "args" in p && p.blocking) ? this.#dedicated(run) : run(this.#client);
  }

  /**
   * MULTI ... EXEC as one node-redis chain: the chain is queued in one synchronous step, so no
   * other request's command can land inside it, and node-redis drops the rest of the chain if
   * the connection breaks halfway. Runtime errors are per-command `{ok: false}` entries (Redis
   * does not roll back); a command rejected while queueing aborts the whole transaction (400).
   */
  async multiExec(commands: string[][]): Promise<Outcome[]> {
    const prepared = commands.map((c) => this.#prepare(c));
    const opts = { ...CMD_OPTS, chainId: Symbol("multi-exec") };
    const client = this.#client;
    const promises = [client.sendCommand(["MULTI"], opts)];
    for (const p of prepared) promises.push(client.sendCommand(p.args, opts));
    promises.push(client.sendCommand(["EXEC"], opts));
    const settled = await Promise.allSettled(promises);
    for (const r of settled) {
      if (r.status === "rejected" && !(r.reason instanceof ErrorReply))
        throw new RedisUnavailableError(r.reason);
    }
    const exec = settled[settled.length - 1] as PromiseSettledResult<unknown>;
    if (exec.status === "rejected") {
      const queueErrors = settled
        .slice(1, -1)
        .map((r, i) => (r.status === "rejected" ? `command ${i}: ${(r.reason as Error).message}` : null))
        .filter((m) => m !== null);
      const reason = (exec.reason as Error).message;
      throw new HttpError(400, queueErrors.length ? `${reason} (${queueErrors.join("; ")})` : reason);
    }
    const replies = exec.value;
    if (!Array.isArray(replies)) throw new HttpError(400, "ERR transaction aborted");
    return replies.map((value: unknown, i) => {
      const outcome: Outcome =
        value instanceof ErrorReply ? { ok: false, error: value.message } : { ok: true, value };
      return RedisBackend.#finish(prepared[i] as Prepared, outcome);
    });
  }

  /** Closes the Redis connection immediately. */
  close(): void {
    if (this.#client.isOpen) this.#client.destroy();
  }
}
