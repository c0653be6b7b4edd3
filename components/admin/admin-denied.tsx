// What /admin shows anyone who is not an operator: what the page is, and how to get in.
import type { SessionUser } from "@/lib/wire/types";
import { OperatorSignIn } from "./operator-sign-in";

type Props = (
  | { reason: "anonymous" }
  | { reason: "not_admin"; user: Pick<SessionUser, "id" | "name"> }
  | { reason: "unavailable" }
) & {
  /** ADMIN_TOKEN is set: the page offers to sign in with it. */
  tokenSignIn: boolean;
};

export function AdminDenied(props: Props) {
  return (
    <main className="admin-denied">
      <div className="panel" data-testid="admin-denied">
        <h1>Operator console</h1>
        {props.reason === "anonymous" && (
          <p>
            This page is for the people who run this app. Sign in with an operator account in the chat (one
            listed in <code>ADMIN_USER_IDS</code>) and come back here
            {props.tokenSignIn ? ", or enter the operator token below." : "."}
          </p>
        )}
        {props.reason === "not_admin" && (
          <p>
            You are signed in as <strong>{props.user.name}</strong> (<code>user:{props.user.id}</code>), which
            is not an operator account. An operator can add that key to <code>ADMIN_USER_IDS</code>.
          </p>
        )}
        {props.reason === "unavailable" && (
          <p role="alert">Your sign-in could not be checked just now. Please reload in a few seconds.</p>
        )}
        {props.tokenSignIn && props.reason !== "unavailable" && <OperatorSignIn />}
        <p>
          <a href="/" className="btn">
            Go to the chat
          </a>
        </p>
      </div>
    </main>
  );
}
