// Looks inside the flood's `next start` process through its inspector (started with --inspect=127.0.0.1:0):
// forces a full GC, reads the retained JS heap and counts the entries of the app's in-memory maps.

export interface HeapProbe {
  /** JS heap in use right after a forced full GC, bytes: what the process really retains. */
  heapUsed: number;
  /** Entries per in-memory structure (null where the structure is not there, e.g. not created yet). */
  entries: Record<string, number | null>;
}

// Every Map and Set inside the app's process-wide services (lib/services.ts, kept in lib/process-state.ts's
// holder on globalThis), by the path of field names in the compiled classes: the in-memory limiter windows,
// leases, usage, conversations, refusal cache… Walking the object instead of naming fields keeps the probe
// working when the services are reshaped.
const MAP_SIZES = `JSON.stringify((() => {
  const state = globalThis[Symbol.for("throttled-chat.process-state")];
  const services = state && state.get("services");
  const out = {};
  const seen = new Set();
  const walk = (value, path, depth) => {
    if (!value || typeof value !== "object" || seen.has(value) || depth > 5) return;
    seen.add(value);
    if (value instanceof Map || value instanceof Set) {
      out[path] = value.size;
      return;
    }
    if (Array.isArray(value)) return;
    for (const key of Object.keys(value)) walk(value[key], path ? path + "." + key : key, depth + 1);
  };
  if (services) walk({ store: services.store, admission: services.admission, operator: services.operator }, "", 0);
  return out;
})())`;

interface CdpReply {
  id?: number;
  result?: { usedSize?: number; result?: { value?: unknown } };
  error?: { message: string };
}

export async function probeHeap(wsUrl: string): Promise<HeapProbe> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("inspector did not answer in 5 s")), 5_000);
    ws.addEventListener("open", () => {
      clearTimeout(timer);
      resolve();
    });
    ws.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to ${wsUrl}`));
    });
  });
  let nextId = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<CdpReply["result"]>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s`)), 30_000);
      const onMessage = (event: MessageEvent) => {
        const reply = JSON.parse(String(event.data)) as CdpReply;
        if (reply.id !== id) return;
        clearTimeout(timer);
        ws.removeEventListener("message", onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      };
      ws.addEventListener("message", onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    const usage = await call("Runtime.getHeapUsage");
    const evaluated = await call("Runtime.evaluate", { expression: MAP_SIZES, returnByValue: true });
    const value = evaluated?.result?.value;
    return {
      heapUsed: usage?.usedSize ?? Number.NaN,
      entries: typeof value === "string" ? (JSON.parse(value) as Record<string, number | null>) : {},
    };
  } finally {
    ws.close();
  }
}

/** The inspector's WebSocket URL from the server's output ("Debugger listening on ws://..."). */
export function inspectorUrl(output: string): string {
  const m = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output);
  if (!m?.[1]) throw new Error("the server printed no inspector URL (NODE_OPTIONS=--inspect not honoured?)");
  return m[1];
}
