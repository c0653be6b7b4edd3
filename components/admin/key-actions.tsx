// What an operator can do to a looked-up key: reset its rate-limit logs, block it for a while, lift its block.
"use client";

import { type FormEvent, useState } from "react";
import type { AdminLimits } from "@/lib/wire/admin";
import { adminApi } from "./admin-api";
import { clockTime, failureText } from "./format";

const DURATIONS: [seconds: number, label: string][] = [
  [300, "5 minutes"],
  [900, "15 minutes"],
  [3600, "1 hour"],
  [86_400, "24 hours"],
  [604_800, "7 days"],
];

type Props = {
  limits: AdminLimits;
  /** A change was made: `message` says what, for the confirmation. The action stays pending until it settles. */
  onDone: (message: string) => Promise<void>;
  onFailed: (message: string) => Promise<void>;
};

export function KeyActions({ limits, onDone, onFailed }: Props) {
  const { key } = limits;
  const [pending, setPending] = useState<"reset" | "block" | "unblock" | null>(null);
  const [seconds, setSeconds] = useState(900);
  const [reason, setReason] = useState("");

  const run = async (action: "reset" | "block" | "unblock", work: () => Promise<string>) => {
    setPending(action);
    try {
      const outcome = await work().then(
        (text) => ({ ok: true, text }),
        (error: unknown) => ({ ok: false, text: failureText(error) }),
      );
      await (outcome.ok ? onDone : onFailed)(outcome.text);
    } finally {
      setPending(null);
    }
  };

  const reset = () =>
    run("reset", async () => {
      const { cleared } = await adminApi.reset(key);
      return `Reset ${key}: cleared the rate-limit logs of ${cleared.join(", ")}. Its next message is admitted.`;
    });
  const block = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      void onFailed("Give a reason for the block: the audit log keeps it, and the caller sees it.");
      return;
    }
    void run("block", async () => {
      const created = await adminApi.block(key, seconds, reason.trim());
      setReason("");
      return `Blocked ${key} until ${clockTime(created.until)} (${created.reason}). Its messages are refused with 403.`;
    });
  };
  const unblock = () =>
    run("unblock", async () => {
      const { unblocked } = await adminApi.unblock(key);
      return unblocked ? `Unblocked ${key}: it can send again.` : `${key} was not blocked: nothing changed.`;
    });

  return (
    <div className="key-actions">
      <div className="action-row">
        <button
          type="button"
          className="btn"
          data-testid="reset-key"
          disabled={pending !== null}
          onClick={reset}
        >
          {pending === "reset" ? "Resetting…" : "Reset limits"}
        </button>
        {limits.blocked && (
          <button
            type="button"
            className="btn"
            data-testid="unblock-key"
            disabled={pending !== null}
            onClick={unblock}
          >
            {pending === "unblock" ? "Unblocking…" : "Unblock"}
          </button>
        )}
      </div>
      <form className="block-form" onSubmit={block} aria-label={`Block ${key}`}>
        <div className="field">
          <label htmlFor="block-duration">Block for</label>
          <select
            id="block-duration"
            className="input"
            value={seconds}
            onChange={(event) => setSeconds(Number(event.target.value))}
          >
            {DURATIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-grow">
          <label htmlFor="block-reason">Reason (the blocked caller sees it too)</label>
          <input
            id="block-reason"
            data-testid="block-reason"
            className="input"
            required
            maxLength={200}
            placeholder="e.g. scripted flood from this address"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-danger" data-testid="block-key" disabled={pending !== null}>
          {pending === "block" ? "Blocking…" : limits.blocked ? "Replace block" : "Block"}
        </button>
      </form>
    </div>
  );
}
