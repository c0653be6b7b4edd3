// /admin's sign-in with ADMIN_TOKEN: the token is sent once and traded for an HttpOnly cookie — never stored here.
"use client";

import { type FormEvent, useState } from "react";
import { ApiHttpError, request } from "@/components/api";

export function OperatorSignIn() {
  const [token, setToken] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    setPending(true);
    setError(null);
    try {
      await request("/api/admin/session", { method: "POST", body: JSON.stringify({ token: token.trim() }) });
      setToken("");
      window.location.reload();
    } catch (err) {
      setError(err instanceof ApiHttpError ? err.body.message : "Couldn't reach the server.");
      setPending(false);
    }
  };

  return (
    <form className="operator-signin" onSubmit={submit} aria-label="Sign in with the operator token">
      <label htmlFor="operator-token">Operator token</label>
      <div className="lookup-row">
        <input
          id="operator-token"
          data-testid="operator-token"
          className="input mono"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          aria-describedby="operator-token-hint"
          aria-invalid={error ? true : undefined}
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="operator-signin" disabled={pending}>
          Open the console
        </button>
      </div>
      <p id="operator-token-hint" className="field-hint">
        The server&apos;s <code>ADMIN_TOKEN</code>. It opens the console in this browser for an hour (a cookie
        scripts can&apos;t read), then asks again.
      </p>
      {error && (
        <p className="outcome outcome-error" role="alert" data-testid="operator-signin-error">
          {error}
        </p>
      )}
    </form>
  );
}
