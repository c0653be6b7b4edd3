// Linux /proc readers for the benchmark: which process listens on a port, its memory, and who used the CPU.
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";

/** The pid of the process holding the listening TCP socket on 127.0.0.1:`port` (IPv4 or IPv6 table). */
export function pidListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] = local address:port, cols[3] = state (0A = LISTEN), cols[9] = inode
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port}`);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m?.[1] && inodes.has(m[1])) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  throw new Error(`no process owns the socket listening on port ${port}`);
}

export interface MemoryStatus {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size since start or the last resetPeakRss(), bytes. */
  hwm: number;
}

export function memoryStatus(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
}

/** Resets VmHWM to the current RSS (Linux >= 4.0: `echo 5 > /proc/<pid>/clear_refs`); false if not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) a process has used, in clock ticks. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

/** Busy clock ticks of the whole machine (all CPUs, everything but idle and iowait). */
export function machineBusyTicks(): number {
  const first = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).map(Number);
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

/**
 * Measures, over a stretch of time, how much CPU the machine spent outside `pids` (other users' work on a
 * shared box), as a fraction of all CPUs: 0 = a quiet machine, 1 = every core busy elsewhere.
 */
export function foreignCpuMeter(pids: () => number[], cpus: number): () => number {
  const ticks = () => pids().reduce((sum, pid) => sum + processTicks(pid), 0);
  const t0 = performance.now();
  const busy0 = machineBusyTicks();
  const ours0 = ticks();
  return () => {
    const elapsedTicks = ((performance.now() - t0) / 1000) * 100; // USER_HZ is 100 on Linux
    const foreign = machineBusyTicks() - busy0 - (ticks() - ours0);
    return Math.max(0, foreign / (elapsedTicks * cpus));
  };
}
