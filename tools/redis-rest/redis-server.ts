// Spawns and supervises a local redis-server child process (tests, benchmarks, `npm run redis:dev`).
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";

export const REDIS_INSTALL_HINT =
  "install redis-server (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis)";

export interface RedisServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Working/data directory. Default: the OS temp dir. */
  dir?: string;
  /** Keep Redis' default RDB snapshots in `dir`. Default false (`--save "" --appendonly no`). */
  persist?: boolean;
  /** Binary to run. Default `$REDIS_SERVER_BIN` or `redis-server` from PATH. */
  bin?: string;
}

export interface RedisServerProcess {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  readonly running: boolean;
  /** Stops the server (SIGTERM, SIGKILL after 5 s). No-op when already stopped. */
  stop(): Promise<void>;
  /** (Re)starts the server on the same port. No-op when running. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and every command hangs, as on a stuck server. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
}

/** Asks the OS for a currently free TCP port on 127.0.0.1. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The process id of the Redis answering on 127.0.0.1:port (via INFO server), or null. */
function redisPid(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: "127.0.0.1" });
    let buf = "";
    const done = (pid: number | null) => {
      sock.destroy();
      resolve(pid);
    };
    sock.setTimeout(500, () => done(null));
    sock.once("error", () => done(null));
    sock.once("connect", () => sock.write("INFO server\r\n"));
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.startsWith("-")) return done(null); // e.g. -LOADING
      const m = /process_id:(\d+)\r\n/.exec(buf);
      if (m) done(Number(m[1]));
    });
  });
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;
function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Do not leave orphaned redis-servers behind if a test run or script dies without cleanup.
  process.once("exit", () => {
    for (const c of children) c.kill("SIGKILL");
  });
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServerProcess> {
  const port = opts.port ?? (await getFreePort());
  const bin = opts.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--daemonize", "no", "--loglevel", "warning"];
  args.push("--dir", opts.dir ?? tmpdir());
  if (!opts.persist) args.push("--save", "", "--appendonly", "no");
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    if (child) return;
    let output = "";
    let failure: Error | null = null;
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    children.add(proc);
    killChildrenOnExit();
    const collect = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    proc.stdout?.on("data", collect);
    proc.stderr?.on("data", collect);
    proc.once("error", (err: NodeJS.ErrnoException) => {
      failure =
        err.code === "ENOENT"
          ? new Error(`redis-server not found (tried "${bin}"): ${REDIS_INSTALL_HINT}`)
          : new Error(`could not start ${bin}: ${err.message}`);
    });
    proc.once("exit", (code, signal) => {
      children.delete(proc);
      if (child === proc) child = null;
      failure ??= new Error(
        `redis-server exited early (code ${code}, signal ${signal}) on port ${port}:\n${output}`,
      );
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (failure) {
        proc.kill("SIGKILL");
        throw failure;
      }
      const pid = await redisPid(port);
      if (pid !== null && pid === proc.pid) return;
      if (pid !== null) failure ??= new Error(`port ${port} is already used by another Redis (pid ${pid})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    proc.kill("SIGKILL");
    throw new Error(`redis-server did not become ready on port ${port} within 10 s:\n${output}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      proc.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.kill("SIGTERM");
    });
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    stop: async () => {
      child?.kill("SIGCONT"); // a frozen process can't handle SIGTERM
      await stop();
    },
    start,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
  };
}
