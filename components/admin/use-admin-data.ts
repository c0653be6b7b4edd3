// The console's live figures: stats of the last hour, active blocks and the audit log, refreshed every few seconds.
"use client";

import { useCallback, useEffect, useState } from "react";
import type { AdminAuditEntry, AdminBlock, AdminStats } from "@/lib/wire/admin";
import { adminApi } from "./admin-api";
import { failureText } from "./format";

/** Often enough to watch a burst arrive; each refresh is three cheap reads (the stats are one pipeline). */
export const REFRESH_SECONDS = 5;

export interface AdminData {
  stats: AdminStats | null;
  blocks: AdminBlock[] | null;
  audit: AdminAuditEntry[] | null;
  updatedAt: number | null;
  error: string | null;
  refresh: () => Promise<void>;
}

export function useAdminData(): AdminData {
  const [stats, setStats] = useState<AdminStats | null>(null);
  const [blocks, setBlocks] = useState<AdminBlock[] | null>(null);
  const [audit, setAudit] = useState<AdminAuditEntry[] | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [nextStats, nextBlocks, nextAudit] = await Promise.all([
        adminApi.stats(60),
        adminApi.blocks(),
        adminApi.audit(50),
      ]);
      setStats(nextStats);
      setBlocks(nextBlocks.blocks);
      setAudit(nextAudit.entries);
      setUpdatedAt(Date.now());
      setError(null);
    } catch (failure) {
      setError(failureText(failure));
    }
  }, []);

  useEffect(() => {
    void refresh();
    // A hidden tab asks nothing; it catches up as soon as it is shown again.
    const tick = () => document.visibilityState === "visible" && void refresh();
    const timer = window.setInterval(tick, REFRESH_SECONDS * 1000);
    document.addEventListener("visibilitychange", tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [refresh]);

  return { stats, blocks, audit, updatedAt, error, refresh };
}
