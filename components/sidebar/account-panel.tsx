// Who you are ("Guest" or the signed-in name), your plan and its limits, and signing in or out.
import { type FormEvent, useEffect, useState } from "react";
import { ApiHttpError, api, type Limits, type SessionInfo, type Usage } from "@/components/api";
import { PlanSummary, planLabel } from "./plan-summary";

type Props = {
  session: SessionInfo | null;
  layers: Limits | null;
  usage: Usage | null;
  onChanged: (change: "signed-in" | "signed-out") => void;
};

/** Auth.js sends a failed sign-in back to the app as `?error=<code>`: say so once, then tidy the URL. */
function useSignInError(): [string | null, (value: string | null) => void] {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const url = new URL(window.location.href);
    const code = url.searchParams.get("error");
    if (!code) return;
    setError(
      code === "AccessDenied" ? "Sign-in was cancelled." : "Sign-in didn't complete. Please try again.",
    );
    url.searchParams.delete("error");
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }, []);
  return [error, setError];
}

export function AccountPanel({ session, layers, usage, onChanged }: Props) {
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useSignInError();
  const user = session?.user ?? null;
  const providers = session?.sign_in_providers ?? [];

  const run = async (action: () => Promise<unknown>, then: () => void) => {
    setPending(true);
    setError(null);
    try {
      await action();
      setName("");
      then();
    } catch (err) {
      setError(err instanceof ApiHttpError ? err.body.message : "Couldn't reach the server.");
    } finally {
      setPending(false);
    }
  };
  const devSignIn = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim())
      void run(
        () => api.devSignIn(name.trim()),
        () => onChanged("signed-in"),
      );
  };
  // The provider's page takes over the tab; keep the buttons disabled until it does.
  const providerSignIn = (id: string) =>
    void run(
      () => api.signIn(id),
      () => setPending(true),
    );

  return (
    <section className="account" aria-label="Account" id="account">
      <div className="account-who">
        <span className="avatar" aria-hidden="true">
          {(user?.name ?? "G").slice(0, 1).toUpperCase()}
        </span>
        <span className="account-name">
          <span className="sr-only">You are: </span>
          <span data-testid="current-user">{session ? (user ? user.name : "Guest") : "…"}</span>
          {session && (
            <span className="account-plan" data-testid="current-plan">
              {planLabel(session.limits.plan)}
            </span>
          )}
        </span>
        {user && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="signout-button"
            disabled={pending}
            onClick={() => void run(api.signOut, () => onChanged("signed-out"))}
          >
            Sign out
          </button>
        )}
      </div>
      {session && (
        <PlanSummary limits={session.limits} upgradeUrl={session.upgrade_url} layers={layers} usage={usage} />
      )}
      {session && !user && providers.length > 0 && (
        <fieldset className="signin-providers">
          <legend className="sr-only">Sign in</legend>
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className="btn btn-small signin-provider"
              data-testid={`signin-${provider.id}`}
              disabled={pending}
              onClick={() => providerSignIn(provider.id)}
            >
              Sign in with {provider.name}
            </button>
          ))}
        </fieldset>
      )}
      {session?.dev_signin && !user && (
        <form className="signin" onSubmit={devSignIn} aria-label="Sign in (dev)">
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
