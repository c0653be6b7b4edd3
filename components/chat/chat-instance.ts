// One conversation's AI SDK Chat, sending one held message at a time (a send, an edit or a new answer), and
// telling the session in plain events what became of it: admitted, refused before anything was stored, failed
// on the way, or cut off. It also follows a reply the server is writing that this tab didn't start.
import { Chat } from "@ai-sdk/react";
import type { ChatMessage } from "@/components/api";
import type { HeldMessage } from "@/lib/chat-client/held-store";
import { placeTurn } from "@/lib/chat-client/live-turn";
import { LIVE_TURN_CHUNK, type LiveTurn } from "@/lib/wire/types";
import {
  type AnswerObserver,
  classifyChatError,
  createChatTransport,
  describeChatError,
  type FailureKind,
  type FollowOutcome,
} from "./transport";

export type RefusalKind = Exclude<FailureKind, "retryable">;

export interface ChatEvents {
  /** Every answer's status and headers, admitted or refused (the limit hint reads them). */
  observe: AnswerObserver;
  /** The id of the held message on its way, or null once it has landed. */
  flying: (id: string | null) => void;
  /** The server has the message now: it saves the turn before the reply ends. */
  admitted: (item: HeldMessage) => void;
  /** Refused before anything was stored (429, 402, other 4xx); the transcript is back as it was. */
  refused: (kind: RefusalKind, error: Error, item: HeldMessage | undefined) => void;
  /**
   * It failed: before reaching the server (network, 5xx; `retry` is the message, still held) or after, when
   * the reply broke off (`retry` "regenerate": ask for a new answer to it).
   */
  failed: (message: string, retry: HeldMessage | "regenerate" | undefined) => void;
  incomplete: (messageId: string) => void;
  /** The connection to a reply being written dropped (offline, asleep): the server goes on; it is followed again. */
  disconnected: () => void;
  /** The request is over: `ok` false when it failed or was stopped. */
  settled: (outcome: { ok: boolean; stopped: boolean }) => void;
}

/** `model`: the model the conversation uses now, read at each send (null: the server's default). */
export function createChatInstance(conversationId: string, events: ChatEvents, model: () => string | null) {
  /** The message on its way, and the transcript before it, to put back if it is refused. */
  let flight: { item: HeldMessage; before: ChatMessage[] } | null = null;
  const land = () => {
    const landed = flight;
    flight = null;
    events.flying(null);
    return landed;
  };
  const { transport, progress } = createChatTransport((answer) => {
    events.observe(answer);
    if (answer.ok && flight) events.admitted(flight.item);
  }, model);

  /** The last reply stream this tab followed (never replayed to it again once finished). */
  let seen: string | undefined;
  /** A look for a reply being written (or its stream) is under way. */
  let following: Promise<FollowOutcome> | null = null;
  /** The partial reply a dropped connection left in view: not "shown" to the server, so it is replayed whole. */
  let partialId: string | undefined;

  // Our own Chat instance so the callbacks read its live `messages`, not a possibly stale render snapshot.
  const chat: Chat<ChatMessage> = new Chat<ChatMessage>({
    id: conversationId,
    transport,
    // A followed reply starts with its turn: the user message goes in place before the reply streams in.
    onData: (part) => {
      if (part.type !== LIVE_TURN_CHUNK) return;
      const turn = part.data as LiveTurn;
      seen = turn.stream_id;
      chat.messages = placeTurn(chat.messages, turn);
    },
    onError: (error) => {
      const landed = land();
      const kind = classifyChatError(error);
      // A network drop while a reply streams (its own or a followed one): the server writes it to the end.
      const answered = progress.responded || (!landed && transport.lastFollow === "stream");
      if (answered && error instanceof TypeError) {
        const partial = chat.messages.at(-1);
        if (partial?.role === "assistant") partialId = partial.id;
        events.disconnected();
        return;
      }
      if (kind === "retryable") {
        if (answered) {
          // The server keeps the message and the partial reply.
          const partial = chat.messages.at(-1);
          if (partial?.role === "assistant") events.incomplete(partial.id);
          events.failed(describeChatError(error, partial?.role === "assistant"), "regenerate");
          return;
        }
        // Never reached the server: a send stays in view (with Retry); an edit or new answer shows as held.
        if (landed && landed.item.intent !== "send") chat.messages = landed.before;
        events.failed(describeChatError(error, false), landed?.item);
        return;
      }
      // Refused before streaming: the server stored nothing, so the transcript goes back to what it was.
      if (landed) chat.messages = landed.before.filter((m) => m.id !== landed.item.id);
      events.refused(kind, error, landed?.item);
    },
    onFinish: ({ message, isAbort, isError }) => {
      const landed = land();
      if (isAbort && landed && !progress.responded) {
        // Stopped before the server answered: back to the held list, where Send now or Remove decide.
        chat.messages = landed.before.filter((m) => m.id !== landed.item.id);
      }
      const pushed = message.role === "assistant" && chat.messages.some((m) => m.id === message.id);
      // Stopped on the server (Stop in this or another tab): it says so in the reply's metadata.
      const stopped = isAbort || (!isError && message.metadata?.incomplete === true);
      if (stopped && pushed) events.incomplete(message.id);
      const unfinished = message.parts.some((part) => part.type === "text" && part.state === "streaming");
      const ok = !stopped && !isError;
      if (ok && pushed && unfinished) {
        // The stream closed in the middle of a text part (no text-end/finish): treat it as cut off.
        events.incomplete(message.id);
        events.failed(describeChatError(null, true), "regenerate");
      }
      events.settled({ ok, stopped });
    },
  });

  /** Sends one held message; false while another is on its way. */
  const send = (item: HeldMessage): boolean => {
    if (flight) return false;
    flight = { item, before: chat.messages };
    events.flying(item.id);
    // A look for a reply being written is dropped first: this tab's own reply must not be followed twice.
    if (following) void chat.stop().then(() => start(item));
    else start(item);
    return true;
  };

  const start = (item: HeldMessage) => {
    if (flight?.item !== item) return;
    transport.lastFollow = "none";
    const before = chat.messages;
    flight.before = before;
    // A copy left in view by a failed attempt is replaced, not duplicated.
    const rest = before.filter((m) => m.id !== item.id);
    const parts = [{ type: "text" as const, text: item.text }];
    const lastMessageId = rest.at(-1)?.id;
    if (item.intent === "regenerate") {
      chat.messages = rest;
      void chat.regenerate({ body: { lastMessageId } });
    } else if (item.intent === "edit") {
      chat.messages = rest.slice(
        0,
        Math.max(
          0,
          rest.findLastIndex((m) => m.role === "user"),
        ),
      );
      void chat.sendMessage(
        { id: item.id, role: "user", parts },
        { body: { intent: "edit", lastMessageId } },
      );
    } else {
      chat.messages = rest;
      void chat.sendMessage({ id: item.id, role: "user", parts });
    }
  };

  /**
   * Looks once for a reply the server is writing in this conversation that this tab doesn't show whole, and
   * follows it to its end (replayed from its start, then live). Resolves with what it found.
   */
  const follow = (): Promise<FollowOutcome> => {
    if (flight || following) return Promise.resolve("none");
    const last = chat.messages.findLast((m) => m.id !== partialId)?.id;
    following = chat
      .resumeStream({ body: { last, seen } })
      .then(() => transport.lastFollow)
      .finally(() => {
        following = null;
        if (transport.lastFollow !== "failed") partialId = undefined;
      });
    return following;
  };

  return { chat, send, follow, sending: () => flight !== null };
}
