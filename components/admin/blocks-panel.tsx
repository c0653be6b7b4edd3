// Active blocks, soonest to end first, each with its reason and a way to look it up or lift it.
"use client";

import { useState } from "react";
import type { AdminBlock } from "@/lib/wire/admin";
import { adminApi } from "./admin-api";
import { clockTime, failureText } from "./format";

type Props = {
  blocks: AdminBlock[] | null;
  onPick: (key: string) => void;
  onChanged: () => void;
};

export function BlocksPanel({ blocks, onPick, onChanged }: Props) {
  const [pending, setPending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const unblock = async (key: string) => {
    setPending(key);
    try {
      const { unblocked } = await adminApi.unblock(key);
      setOutcome({
        ok: true,
        text: unblocked ? `Unblocked ${key}: it can send again.` : `${key} was no longer blocked.`,
      });
      onChanged();
    } catch (error) {
      setOutcome({ ok: false, text: failureText(error) });
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <p className="outcome" role="status" data-testid="blocks-outcome">
        {outcome?.ok ? outcome.text : ""}
      </p>
      <p className="outcome outcome-error" role="alert">
        {outcome && !outcome.ok ? outcome.text : ""}
      </p>
      {blocks === null ? (
        <p className="muted">Loading…</p>
      ) : blocks.length === 0 ? (
        <p className="muted" data-testid="no-blocks">
          Nobody is blocked.
        </p>
      ) : (
        <ul className="rows" data-testid="blocks-list">
          {blocks.map((block) => (
            <li key={block.key} className="row" data-testid="block-row">
              <div className="row-main">
                <span className="mono row-key">{block.key}</span>
                <span className="muted row-detail">
                  until {clockTime(block.until)} ·{" "}
                  {block.reason === "automatic" ? "automatic (repeat refusals)" : block.reason}
                </span>
              </div>
              <div className="row-actions">
                <button type="button" className="btn btn-small btn-ghost" onClick={() => onPick(block.key)}>
                  Look up<span className="sr-only"> {block.key}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={pending !== null}
                  onClick={() => void unblock(block.key)}
                >
                  Unblock<span className="sr-only"> {block.key}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
