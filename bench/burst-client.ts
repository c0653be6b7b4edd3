// Child process of bench/burst.ts: fires N concurrent anonymous chat POSTs at once, reads every body, and
// prints "go" when the requests are on their way, then one JSON line with the status counts. Separate from
// the health prober so that neither one's event loop delays the other's timings.
import { chatBody } from "../test/support/chat-body";

const [url, clientsArg, addressesArg, prefix] = process.argv.slice(2);
if (!url || !prefix)
  throw new Error("usage: burst-client.ts <app url> <clients> <addresses> <ip prefix a.b>");
const clients = Number(clientsArg);
const addresses = Number(addressesArg);

const started = performance.now();
setImmediate(() => console.log("go")); // after every fetch below has been started
const statuses = await Promise.all(
  Array.from({ length: clients }, async (_, i) => {
    const id = `burst-${prefix.replaceAll(".", "-")}-${i}`;
    try {
      const res = await fetch(`${url}/api/chat/message`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `${prefix}.${i % addresses}.1` },
        body: chatBody(id, `hi ${i}`),
      });
      await res.arrayBuffer();
      return String(res.status);
    } catch (error) {
      // Not an HTTP answer: a connection that failed (e.g. refused or reset while the accept queue overflowed).
      const cause = (error as { cause?: { code?: string } }).cause;
      return `error ${cause?.code ?? (error as Error).name}`;
    }
  }),
);
const counts: Record<string, number> = {};
for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
console.log(JSON.stringify({ counts, seconds: (performance.now() - started) / 1000 }));
