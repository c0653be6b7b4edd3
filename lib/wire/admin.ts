// The operator console's JSON (/api/admin/*), shared by the route handlers and the /admin page. snake_case.
import type { AuditEntry } from "../admin/types";
import type { LimitLayer, RateLimitLayerName } from "./types";

/** The audit log's name for changes made with ADMIN_TOKEN (as a bearer, or its /admin cookie). */
export const ADMIN_TOKEN_ACTOR = "admin-token";

/** A block as the console shows it. `until` is ISO 8601. */
export interface AdminBlock {
  key: string;
  until: string;
  /** The operator's words, or "automatic" for a repeat offender blocked by the app. */
  reason: string;
}

/** One layer of a looked-up key: which identifier it counts (an `ip:` key has two per-IP buckets). */
export interface AdminLimitLayer extends LimitLayer {
  identifier: string;
}

/** GET /api/admin/limits?key= */
export interface AdminLimits {
  /** The key as the limiter writes it (IPv6 addresses become their /64, for example). */
  key: string;
  plan: string;
  blocked: { until: string; reason: string } | null;
  layers: AdminLimitLayer[];
}

/** The most users one name search answers: an operator types more of the name rather than scrolls. */
export const MAX_USERS_FOUND = 20;

/** GET /api/admin/users?name=<prefix>: signed-in users whose latest display name starts with it, by name. */
export interface AdminUsers {
  /** `key` is `user:<id>`, ready for /api/admin/limits?key=. */
  users: { key: string; name: string }[];
}

/** POST /api/admin/limits/reset */
export interface AdminReset {
  key: string;
  /** The identifiers whose rate-limit logs were cleared, e.g. `ip:203.0.113.7`, `anon:203.0.113.7`. */
  cleared: string[];
}

/** GET /api/admin/blocks */
export interface AdminBlocks {
  blocks: AdminBlock[];
}

/** DELETE /api/admin/blocks?key= */
export interface AdminUnblock {
  key: string;
  /** False when the key was not blocked (nothing changed). */
  unblocked: boolean;
}

export const REFUSAL_SCOPES = ["user", "ip", "model", "concurrency", "credits", "blocked"] as const;
export type RefusalScope = (typeof REFUSAL_SCOPES)[number];

/** One minute of GET /api/admin/stats. */
export interface AdminStatsMinute {
  /** ISO 8601 of the minute's start (UTC), e.g. `2026-11-30T14:32:00.000Z`. */
  minute: string;
  admitted: number;
  refused: Record<RefusalScope, number>;
  /** Every configured model (CHAT_MODELS key): its share of the minute. */
  models: Record<string, AdminModelTraffic>;
}

/** One model's traffic in a minute. */
export interface AdminModelTraffic {
  /** Messages the admission step let through to this model. */
  admitted: number;
  /** Messages for this model refused (any counted scope: its own limits, a full model, the person's limits). */
  refused: number;
  /** Admitted messages its provider answered 429 / overloaded before the first word (given back, "busy"). */
  provider_busy: number;
}

/** One of a model's app-wide capacity layers (CHAT_MODELS `capacity`) as it stands now, read without spending. */
export interface AdminCapacityUse {
  /** model-rpm counts requests, model-tpm tokens (each reply's reservation, settled to what it used). */
  layer: Extract<RateLimitLayerName, "model-rpm" | "model-tpm">;
  limit: number;
  /** Taken in the sliding window now, by every caller together; never above `limit`. */
  used: number;
  /** ISO 8601: when the oldest counted entry leaves the window (the moment of reading when nothing counts). */
  resets_at: string;
  window_seconds: number;
}

/** A model of the table (CHAT_MODELS order) as the console names it, with its capacity use now. */
export interface AdminStatsModel {
  key: string;
  label: string;
  /** Its rpm and tpm layers, those configured (empty: no capacity, e.g. the one model without CHAT_MODELS). */
  capacity: AdminCapacityUse[];
}

/** GET /api/admin/stats?minutes=N: every minute of the range, oldest first, zeros where nothing happened. */
export interface AdminStats {
  minutes: AdminStatsMinute[];
  /** The keys refused most over the range, most first. */
  top_refused: { key: string; count: number }[];
  /** Every model, in the configured order: the keys of each minute's `models`. */
  models: AdminStatsModel[];
}

/** `{ at, actor, action, key, detail }`: stored as the wire shows it (lib/admin/types.ts). */
export type AdminAuditEntry = AuditEntry;

/** GET /api/admin/audit: newest first. */
export interface AdminAudit {
  entries: AdminAuditEntry[];
}
