// Look up a limit key: its plan, block and every layer's room, with the actions that steer it.
"use client";

import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import type { AdminLimitLayer, AdminLimits } from "@/lib/wire/admin";
import { adminApi } from "./admin-api";
import { clockTime, failureText } from "./format";
import { KeyActions } from "./key-actions";
import { type Matches, NameMatches, searchByName } from "./name-matches";

/** Typed text that starts like a key is looked up as one (a mistyped key gets the key's error, not a search). */
const KEY_LIKE = /^(user|ip|guest):/i;

const LAYER_WORDS: Record<AdminLimitLayer["name"], string> = {
  min: "Per minute",
  hour: "Per hour",
  "ip-min": "Network, per minute",
  "model-min": "Model, per minute",
  "model-hour": "Model, per hour",
  "model-rpm": "Model capacity, per minute",
  "model-tpm": "Model tokens, per minute",
  "model-busy": "Model busy at the provider",
};

type Props = {
  /** A key picked elsewhere (top limited, blocks): looked up at once. `seq` repeats a lookup of the same key. */
  picked: { key: string; seq: number } | null;
  onChanged: () => void;
};

export function KeyPanel({ picked, onChanged }: Props) {
  const [input, setInput] = useState("");
  const [limits, setLimits] = useState<AdminLimits | null>(null);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [matches, setMatches] = useState<Matches | null>(null);
  const okRef = useRef<HTMLParagraphElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  /** Shows `key`'s card; on failure clears it and answers why (null when it worked). */
  const lookUp = useCallback(async (key: string): Promise<string | null> => {
    setPending(true);
    try {
      setLimits(await adminApi.lookUp(key));
      return null;
    } catch (error) {
      setLimits(null);
      return failureText(error);
    } finally {
      setPending(false);
    }
  }, []);

  const show = useCallback(
    async (key: string) => {
      const failure = await lookUp(key);
      if (failure) setOutcome({ ok: false, text: failure });
    },
    [lookUp],
  );

  useEffect(() => {
    if (!picked) return;
    setInput(picked.key);
    setOutcome(null);
    setMatches(null);
    void show(picked.key);
  }, [picked, show]);

  const findByName = async (prefix: string) => {
    setPending(true);
    setLimits(null);
    const found = await searchByName(prefix);
    setMatches(found.matches);
    setOutcome(found.outcome);
    setPending(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const text = input.trim();
    if (!text) return;
    if (KEY_LIKE.test(text)) {
      setMatches(null);
      void show(text);
    } else {
      void findByName(text);
    }
  };

  // After a change: show the key anew first, then say what happened and move focus there (the button pressed
  // may be gone). Confirming only once the card is fresh means the next Tab reaches the buttons that now apply
  // (Unblock after a block): the console failed a keyboard test once when the card lagged the confirmation.
  const report = async (ok: boolean, text: string) => {
    let failure: string | null = null;
    if (ok && limits) {
      onChanged();
      failure = await lookUp(limits.key);
    }
    setOutcome(
      failure ? { ok: false, text: `${text} Showing the key again failed: ${failure}` } : { ok, text },
    );
    window.requestAnimationFrame(() => (ok && !failure ? okRef : errorRef).current?.focus());
  };

  return (
    <div className="key-panel">
      <form className="lookup-form" onSubmit={submit} aria-label="Look up a limit key">
        <label htmlFor="lookup-key">Limit key or name</label>
        <div className="lookup-row">
          <input
            id="lookup-key"
            data-testid="lookup-key"
            className="input mono"
            placeholder="user:jwt_…, ip:203.0.113.7 or a name"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="lookup-hint"
            value={input}
            onChange={(event) => setInput(event.target.value)}
          />
          <button type="submit" className="btn btn-primary" data-testid="lookup-button" disabled={pending}>
            Look up
          </button>
        </div>
        <p id="lookup-hint" className="field-hint">
          A signed-in user is <code>user:&lt;id&gt;</code> (the id <code>/api/session</code> shows), or type
          the start of their display name to find them; a guest is <code>ip:&lt;address&gt;</code>.
        </p>
      </form>
      <p ref={okRef} tabIndex={-1} className="outcome" role="status" data-testid="key-outcome">
        {outcome?.ok ? outcome.text : ""}
      </p>
      <p ref={errorRef} tabIndex={-1} className="outcome outcome-error" role="alert" data-testid="key-error">
        {outcome && !outcome.ok ? outcome.text : ""}
      </p>
      {matches && (
        <NameMatches
          prefix={matches.prefix}
          users={matches.users}
          current={limits?.key ?? null}
          onPick={(key) => {
            setOutcome(null);
            void show(key);
          }}
        />
      )}
      {limits && (
        <section className="key-card" aria-labelledby="key-card-title" data-testid="key-card">
          <h3 id="key-card-title" className="mono">
            {limits.key}
          </h3>
          <p className="key-status" data-testid="key-status">
            Plan <strong>{limits.plan}</strong> ·{" "}
            {limits.blocked ? (
              <span className="status-blocked">
                Blocked until {clockTime(limits.blocked.until)} — {limits.blocked.reason}
              </span>
            ) : (
              "not blocked"
            )}
          </p>
          <div className="table-scroll">
            <table className="layers">
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  <th scope="col">Left</th>
                </tr>
              </thead>
              <tbody>
                {limits.layers.map((layer) => (
                  <tr key={`${layer.name}:${layer.identifier}`}>
                    <th scope="row">
                      {LAYER_WORDS[layer.name]}
                      <span className="layer-id mono">{layer.identifier}</span>
                    </th>
                    <td>
                      <span data-testid="layer-remaining">
                        {layer.remaining} of {layer.limit}
                      </span>
                      <span className="layer-id">resets {clockTime(layer.resets_at, true)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <KeyActions
            limits={limits}
            onDone={(text) => report(true, text)}
            onFailed={(text) => report(false, text)}
          />
        </section>
      )}
    </div>
  );
}
