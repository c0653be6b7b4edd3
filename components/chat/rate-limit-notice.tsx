// The inline 429 bubble: which limit and when it frees (the digits tick here, outside every live region —
// announcements are made once, elsewhere), and what happens to the held messages: Send when ready / Send now.
import { planName } from "@/lib/chat-client/paywall-text";
import {
  autoSendPlan,
  isModelWait,
  mayAutoSend,
  reason,
  refusalSentence,
} from "@/lib/chat-client/refusal-text";
import { messagesCount } from "@/lib/chat-client/time-words";
import type { UpgradeOptions } from "./paywall-dialog";
import type { Refusal, SendMode } from "./use-chat-session";
import { useCountdown } from "./use-countdown";

type Props = {
  wait: Refusal | null;
  /** The refusal that held these messages, after its wait is over (its words stay for replies in progress). */
  lastRefusal: Refusal | null;
  held: number;
  mode: SendMode;
  upgrade: UpgradeOptions;
  /** Another model this caller may use is on offer (the picker): a model's wait need not be waited out. */
  canSwitchModel: boolean;
  onToggleSendWhenReady: () => void;
  onSendNow: () => void;
};

/** A plan with more room in the layer that refused ("The Pro plan allows 240 messages an hour"), or null. */
function upgradeOffer(wait: Refusal, upgrade: UpgradeOptions): string | null {
  const plan = upgrade.plan;
  if (!plan || wait.scope !== "user" || !(upgrade.url || upgrade.signIn)) return null;
  const room = wait.layer === "hour" ? plan.per_hour : wait.layer === "min" ? plan.per_minute : null;
  if (room === null || (room !== 0 && room <= wait.limit)) return null;
  const per = wait.layer === "hour" ? "an hour" : "a minute";
  const allows = room === 0 ? "has no limit on messages" : `allows ${messagesCount(room)} ${per}`;
  return `The ${planName(plan.plan)} plan ${allows}.`;
}

export function RateLimitNotice({
  wait,
  lastRefusal,
  held,
  mode,
  upgrade,
  canSwitchModel,
  onToggleSendWhenReady,
  onSendNow,
}: Props) {
  // Re-renders every tick while a wait runs; the sentence is recomputed from the clock each time.
  const seconds = useCountdown(wait?.until ?? null);
  const now = Date.now();
  const waiting = wait !== null && seconds > 0;
  const sentence = wait && waiting ? refusalSentence(wait, now) : null;
  const automatic = mode !== "off";
  // A long wait never sends by itself: the person may be gone by then (and confirms with Send now).
  const unattendedOk = !wait || mayAutoSend(wait);
  const offer = wait && waiting ? upgradeOffer(wait, upgrade) : null;

  return (
    <div className="msg msg-assistant" data-testid="rate-limit-bubble">
      <div className="bubble bubble-notice">
        <p className="notice-text" data-testid="rate-limit-notice">
          {sentence ? (
            <>
              {sentence.before}
              <span className="countdown" data-testid="countdown">
                {sentence.ticking}
              </span>
              {sentence.after}
            </>
          ) : automatic ? (
            "Sending your held messages in order…"
          ) : lastRefusal?.scope === "concurrency" ? (
            `${reason(lastRefusal)}. ${messagesCount(held)} not sent yet.`
          ) : (
            `${messagesCount(held)} not sent yet.`
          )}
        </p>
        {held > 0 && waiting && (
          <p className="notice-detail" data-testid="auto-send-plan">
            {!unattendedOk
              ? `${held === 1 ? "Your message is kept, not sent" : `${messagesCount(held)} are kept, not sent`}, and won't go while you're away: when the wait is over, use Send now.`
              : mode === "armed"
                ? autoSendPlan(held, wait, now)
                : held === 1
                  ? "Your message is kept, not sent. Send when ready sends it as soon as the wait ends."
                  : `${messagesCount(held)} are kept, not sent. Send when ready sends them in order as soon as the wait ends.`}
          </p>
        )}
        {wait && waiting && canSwitchModel && isModelWait(wait) && (
          <p className="notice-detail" data-testid="switch-model-hint">
            Another model may answer now: choose one under the message box.
          </p>
        )}
        {offer && (
          <div className="notice-upgrade" data-testid="limit-upgrade">
            <p className="notice-detail">{offer}</p>
            {upgrade.url ? (
              <a
                className="btn btn-small btn-primary"
                href={upgrade.url}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="limit-upgrade-link"
              >
                Upgrade
              </a>
            ) : (
              <button
                type="button"
                className="btn btn-small btn-primary"
                data-testid="limit-upgrade-signin"
                onClick={() => upgrade.signIn?.()}
              >
                Sign in to upgrade
              </button>
            )}
          </div>
        )}
        {held > 0 && (waiting ? unattendedOk : true) && (
          <div className="notice-actions">
            {waiting ? (
              <button
                type="button"
                className={mode === "armed" ? "btn btn-small" : "btn btn-small btn-primary"}
                data-testid="send-when-ready"
                data-armed={mode === "armed" || undefined}
                onClick={onToggleSendWhenReady}
              >
                {mode === "armed" ? "Don't send automatically" : "Send when ready"}
              </button>
            ) : automatic ? (
              <button
                type="button"
                className="btn btn-small"
                data-testid="send-when-ready"
                data-armed
                onClick={onToggleSendWhenReady}
              >
                Stop sending the rest
              </button>
            ) : (
              <button
                type="button"
                className="btn btn-small btn-primary"
                data-testid="send-now"
                onClick={onSendNow}
              >
                {held === 1 ? "Send now" : `Send ${held} now`}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
