// Upstash REST wire format: request body validation and (base64) result encoding.

/** An error that maps to an HTTP status and a `{error}` JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * Validates one command array. @upstash/redis serialises arguments as strings, numbers and
 * (for `set(k, true)`) booleans; everything else (null, objects, nested arrays) is rejected.
 */
export function toCommand(value: unknown, where = "command"): string[] {
  if (!Array.isArray(value)) {
    throw new HttpError(400, `ERR ${where} must be a JSON array of strings`);
  }
  if (value.length === 0) throw new HttpError(400, `ERR ${where} is empty`);
  const args = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === "string") args[i] = v;
    else if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") args[i] = String(v);
    else throw new HttpError(400, `ERR ${where} argument ${i} must be a string or a number`);
  }
  if ((args[0] as string).length === 0) throw new HttpError(400, `ERR ${where} name is empty`);
  return args;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, "ERR request body is not valid JSON");
  }
}

/** Body of `POST /`: `["SET", "k", "v"]`. */
export function parseSingle(body: string): string[] {
  return toCommand(parseJson(body));
}

/** Body of `POST /pipeline` and `POST /multi-exec`: `[["SET","k","v"], ["GET","k"]]`. */
export function parseBatch(body: string): string[][] {
  const value = parseJson(body);
  if (!Array.isArray(value)) throw new HttpError(400, "ERR body must be a JSON array of commands");
  if (value.length === 0) throw new HttpError(400, "ERR empty pipeline");
  return value.map((c: unknown, i) => toCommand(c, `command ${i}`));
}

/** Nested RESP error (e.g. inside an EXEC or Lua table reply) as node-redis decodes it. */
function isErrorLike(v: object): v is Error {
  return v instanceof Error;
}

function encodeNested(value: unknown, base64: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  switch (typeof value) {
    case "number":
      return value;
    case "string":
      return base64 ? Buffer.from(value, "utf8").toString("base64") : value;
    case "bigint":
      return Number(value);
    case "object":
      if (Array.isArray(value)) return value.map((v) => encodeNested(v, base64));
      if (isErrorLike(value)) return encodeNested(value.message, base64);
      return null;
    default:
      return null;
  }
}

/**
 * Encodes a RESP2 reply for the `result` field. With `Upstash-Encoding: base64` every bulk
 * string (node-redis gives them to us as Buffers) is base64 encoded, recursively; integers and
 * nulls pass through. A top-level status reply `OK` is sent verbatim, which is what the
 * client's decoder special-cases (`raw === "OK" ? "OK" : base64decode(raw)`).
 */
export function encodeResult(value: unknown, base64: boolean): unknown {
  if (value === "OK") return "OK";
  return encodeNested(value, base64);
}

/** Pre-serialised `{error}` body. */
export function errorBody(message: string): string {
  return JSON.stringify({ error: message });
}
