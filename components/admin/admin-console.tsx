// The operator console: traffic of the last hour, who is limited, look up / reset / block a key, the audit log.
"use client";

import { useCallback, useState } from "react";
import { ADMIN_TOKEN_ACTOR } from "@/lib/wire/admin";
import { AuditLog, TopRefused } from "./activity-lists";
import { BlocksPanel } from "./blocks-panel";
import { clockTime } from "./format";
import { KeyPanel } from "./key-panel";
import { TrafficPanel } from "./traffic-panel";
import { REFRESH_SECONDS, useAdminData } from "./use-admin-data";

export function AdminConsole({ actor }: { actor: string }) {
  const data = useAdminData();
  const [picked, setPicked] = useState<{ key: string; seq: number } | null>(null);
  const pick = useCallback((key: string) => {
    setPicked((last) => ({ key, seq: (last?.seq ?? 0) + 1 }));
    document.getElementById("lookup-key")?.focus();
  }, []);
  const refresh = data.refresh;
  const onChanged = useCallback(() => void refresh(), [refresh]);

  return (
    <div className="admin">
      <header className="admin-bar">
        <a href="/" className="btn btn-small btn-ghost">
          ← Chat
        </a>
        <h1>Operator console</h1>
        <span className="badge" title="Who the audit log names for your changes" data-testid="acting-as">
          <span className="sr-only">Acting as </span>
          {actor}
        </span>
        {actor === ADMIN_TOKEN_ACTOR && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="operator-signout"
            onClick={() =>
              void fetch("/api/admin/session", { method: "DELETE" }).then(() => location.reload())
            }
          >
            Sign out
          </button>
        )}
      </header>
      <main className="admin-main">
        <section className="panel panel-wide" aria-labelledby="traffic-title">
          <div className="panel-head">
            <h2 id="traffic-title">Chat messages, last 60 minutes</h2>
            <span className="muted small" data-testid="updated-at">
              {data.updatedAt
                ? `Updated ${clockTime(data.updatedAt, true)} · every ${REFRESH_SECONDS} s`
                : ""}
            </span>
            <button type="button" className="btn btn-small" onClick={onChanged}>
              Refresh
            </button>
          </div>
          {data.error && (
            <p className="outcome outcome-error" role="alert">
              {data.error}
            </p>
          )}
          <TrafficPanel stats={data.stats} />
        </section>
        <section className="panel" aria-labelledby="key-title">
          <h2 id="key-title">Look up, reset or block a key</h2>
          <KeyPanel picked={picked} onChanged={onChanged} />
        </section>
        <div className="panel-stack">
          <section className="panel" aria-labelledby="top-title">
            <h2 id="top-title">Most limited, last hour</h2>
            <TopRefused stats={data.stats} onPick={pick} />
          </section>
          <section className="panel" aria-labelledby="blocks-title">
            <h2 id="blocks-title">Active blocks</h2>
            <BlocksPanel blocks={data.blocks} onPick={pick} onChanged={onChanged} />
          </section>
        </div>
        <section className="panel panel-wide" aria-labelledby="audit-title">
          <h2 id="audit-title">Audit log</h2>
          <AuditLog entries={data.audit} />
        </section>
      </main>
    </div>
  );
}
