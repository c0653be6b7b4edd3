// Who you are: "Guest" or the signed-in name, plus the dev-only sign-in form / sign-out button.
import { type FormEvent, useState } from "react";
import { ApiHttpError, api, type SessionInfo } from "@/components/api";

type Props = { session: SessionInfo | null; onChanged: () => void };

export function AccountPanel({ session, onChanged }: Props) {
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const user = session?.user ?? null;

  const run = async (action: () => Promise<unknown>) => {
    setPending(true);
    setError(null);
    try {
      await action();
      setName("");
      onChanged();
    } catch (err) {
      setError(err instanceof ApiHttpError ? err.body.message : "Couldn't reach the server.");
    } finally {
      setPending(false);
    }
  };
  const signIn = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) void run(() => api.signIn(name.trim()));
  };

  return (
    <section className="account" aria-label="Account">
      <div className="account-who">
        <span className="avatar" aria-hidden="true">
          {(user?.name ?? "G").slice(0, 1).toUpperCase()}
        </span>
        <span className="account-name">
          <span className="sr-only">You are: </span>
          <span data-testid="current-user">{session ? (user ? user.name : "Guest") : "…"}</span>
        </span>
        {session?.dev_signin && user && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="signout-button"
            disabled={pending}
            onClick={() => void run(api.signOut)}
          >
            Sign out
          </button>
        )}
      </div>
      {session?.dev_signin && !user && (
        <form className="signin" onSubmit={signIn} aria-label="Sign in (dev)">
          <label htmlFor="signin-name" className="sr-only">
            Name
          </label>
          <input
            id="signin-name"
            data-testid="signin-name"
            className="input"
            placeholder="Your name"
            autoComplete="nickname"
            maxLength={64}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <button
            type="submit"
            className="btn btn-small"
            data-testid="signin-button"
            disabled={pending || !name.trim()}
          >
            Sign in (dev)
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
