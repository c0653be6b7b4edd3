// Dev launcher (`npm run redis:dev`): local redis-server + REST endpoint, prints the UPSTASH_* exports.
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { getFreePort, startRedisServer } from "./redis-server";
import { startRedisRestServer } from "./server";

/** `preferred` if nothing listens there, else any free port (so the printed URL is usually stable). */
function pickPort(preferred: number): Promise<number> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once("error", () => getFreePort().then(done));
    srv.listen(preferred, "127.0.0.1", () => srv.close(() => done(preferred)));
  });
}

async function main(): Promise<void> {
  const dir = resolve(".redis-dev");
  mkdirSync(dir, { recursive: true });
  const redis = await startRedisServer({
    port: await pickPort(Number(process.env.REDIS_DEV_PORT ?? 6380)),
    dir,
    persist: true,
  });
  const token = process.env.UPSTASH_REDIS_REST_TOKEN || "local-dev-token";
  let rest: Awaited<ReturnType<typeof startRedisRestServer>>;
  try {
    rest = await startRedisRestServer({
      redisUrl: redis.url,
      token,
      port: await pickPort(Number(process.env.REDIS_REST_PORT ?? 8079)),
      log: (line) => console.error(line),
    });
  } catch (err) {
    await redis.stop();
    throw err;
  }

  console.error(`redis-server on ${redis.url} (data in ${dir}), REST endpoint on ${rest.url}`);
  console.error("Run `npm run dev` in another shell with these variables (Ctrl+C here stops both):");
  console.log(`export UPSTASH_REDIS_REST_URL=${rest.url}`);
  console.log(`export UPSTASH_REDIS_REST_TOKEN=${token}`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await rest.close();
    await redis.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(`redis:dev: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
