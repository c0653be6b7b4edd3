// CLI: `npm run redis-rest -- --redis-url redis://127.0.0.1:6379 --port 8079 --token <token>`.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { startRedisRestServer } from "./server";

const USAGE = `Usage: npm run redis-rest -- [options]

Upstash-compatible REST endpoint in front of a real Redis (for local dev and tests).

Options (environment fallback in brackets):
  --redis-url <url>  Redis to talk to            [REDIS_URL]                 default redis://127.0.0.1:6379
  --port <n>         HTTP port, 0 = any free one [REDIS_REST_PORT]           default 8079
  --host <addr>      HTTP bind address           [REDIS_REST_HOST]           default 127.0.0.1
  --token <token>    Bearer token clients send   [UPSTASH_REDIS_REST_TOKEN]  default: random, printed
  -h, --help         Show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "redis-url": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const env = process.env;
  const redisUrl = values["redis-url"] ?? env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const port = Number(values.port ?? env.REDIS_REST_PORT ?? 8079);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const host = values.host ?? env.REDIS_REST_HOST ?? "127.0.0.1";
  const givenToken = values.token ?? env.UPSTASH_REDIS_REST_TOKEN;
  const token = givenToken || randomBytes(16).toString("hex");

  const server = await startRedisRestServer({
    redisUrl,
    token,
    port,
    host,
    log: (line) => console.error(line),
  });
  console.log(`redis-rest listening on ${server.url} (Redis ${redisUrl.replace(/\/\/[^@/]*@/, "//***@")})`);
  if (!givenToken) console.log(`token: ${token}`);

  const shutdown = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(`redis-rest: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
