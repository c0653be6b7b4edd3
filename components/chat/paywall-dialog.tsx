// The 402 paywall: a modal <dialog> (focus trapped by the browser, Esc closes, focus returned on close).
import { useEffect, useId, useRef } from "react";
import type { PlanLimitsInfo } from "@/components/api";
import { paywallWords } from "@/lib/chat-client/paywall-text";
import type { Paywall } from "./use-chat-session";

/**
 * How this person can upgrade: a checkout link (signed in, on free), or signing in first (a guest); and the
 * plan it buys, when there is one to buy.
 */
export type UpgradeOptions = {
  url: string | null;
  signIn: (() => void) | null;
  plan: PlanLimitsInfo | null;
};

type Props = {
  paywall: Paywall | null;
  upgrade: UpgradeOptions;
  onClose: () => void;
  /** "Start a new chat": the refused message goes there (it costs less without this history) and is sent. */
  onNewChat: () => void;
};

export function PaywallDialog({ paywall, upgrade, onClose, onNewChat }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const open = paywall !== null;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const signInInstead = useRef(false);
  const newChatInstead = useRef(false);
  const handleClose = () => {
    onClose();
    if (newChatInstead.current) {
      newChatInstead.current = false;
      returnFocus.current = null;
      onNewChat();
      return;
    }
    if (signInInstead.current) {
      // Sign-in takes the focus (the sidebar's sign-in buttons), not the composer.
      signInInstead.current = false;
      returnFocus.current = null;
      upgrade.signIn?.();
      return;
    }
    // Back to where the user was — usually the composer, which now holds their unsent text.
    const target = returnFocus.current ?? document.getElementById("composer-input");
    returnFocus.current = null;
    window.setTimeout(() => target?.focus(), 0);
  };

  // The 402 says upgrades exist; the session says whether this person can buy one now or must sign in first.
  const upgradeBy = !paywall?.paywallUrl
    ? null
    : upgrade.url
      ? "checkout"
      : upgrade.signIn
        ? "sign-in"
        : null;
  const words = paywall && paywallWords(paywall, upgradeBy, Date.now());
  // Only with a message to carry over: a new answer has nothing to send in a new chat.
  const offerNewChat = Boolean(words?.newChat && paywall?.text);
  return (
    <dialog
      ref={ref}
      className="dialog"
      // biome-ignore lint/a11y/noRedundantRoles: explicit role/aria-modal requested for tests and older AT.
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="paywall"
      onClose={handleClose}
    >
      {paywall && words && (
        <div className="dialog-body">
          <h2 id={titleId}>{words.title}</h2>
          <p>
            You&apos;ve used <strong data-testid="paywall-used">{words.used}</strong> of{" "}
            <strong data-testid="paywall-budget">{words.budget}</strong> tokens today{words.usageEnd}
          </p>
          <p>
            {words.resetClock ? (
              <>
                Credits reset at{" "}
                <time dateTime={paywall.resetsAt} data-testid="paywall-resets">
                  {words.resetClock}
                </time>
                , your time ({words.resetIn}).
              </>
            ) : (
              "Credits reset once a day."
            )}
          </p>
          {words.newChat && <p data-testid="paywall-history">{words.newChat}</p>}
          {words.upgrade && <p data-testid="paywall-upgrade-text">{words.upgrade}</p>}
          <p>
            {paywall.kept === "composer"
              ? "Your message was not sent: it is back in the message box."
              : "Your message was not sent: it is kept with your held messages."}
          </p>
          <div className="dialog-actions">
            {offerNewChat && (
              <button
                type="button"
                className="btn btn-primary"
                data-testid="paywall-new-chat"
                onClick={() => {
                  newChatInstead.current = true;
                  ref.current?.close();
                }}
              >
                Start a new chat
              </button>
            )}
            {upgradeBy === "checkout" && (
              <a
                className={offerNewChat ? "btn" : "btn btn-primary"}
                href={upgrade.url ?? undefined}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="paywall-upgrade"
              >
                Upgrade
              </a>
            )}
            {upgradeBy === "sign-in" && (
              <button
                type="button"
                className={offerNewChat ? "btn" : "btn btn-primary"}
                data-testid="paywall-signin"
                onClick={() => {
                  signInInstead.current = true;
                  ref.current?.close();
                }}
              >
                Sign in to upgrade
              </button>
            )}
            <button
              type="button"
              className="btn"
              data-testid="paywall-close"
              onClick={() => ref.current?.close()}
            >
              Close
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
