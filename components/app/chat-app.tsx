// The whole client app: sidebar + header + the current conversation, with the selection mirrored in ?c=<id>.
"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiHttpError, api, newConversationId } from "@/components/api";
import { ChatPlaceholder } from "@/components/chat/chat-placeholder";
import { MessageCapContext } from "@/components/chat/message-cap";
import { focusComposer } from "@/components/focus";
import { ModelBadge } from "@/components/header/model-badge";
import { UsageMeter } from "@/components/header/usage-meter";
import { Sidebar } from "@/components/sidebar/sidebar";
import { browserStorage, pruneSavedChats, readFreshChat, writeFreshChat } from "@/lib/chat-client/held-store";
import { pruneModelChoices } from "@/lib/chat-client/model-choice";
import { DEFAULT_MAX_MESSAGE_CHARS } from "@/lib/wire/limits";
import { useAppData } from "./use-app-data";

type Current = { id: string; isNew: boolean; firstMessage?: string };

// The chat engine (AI SDK + markdown, ~90 kB gzip) loads in its own chunk right after hydration, which keeps
// the first-load JS of `/` inside its budget; the shell (sidebar, header, history list) doesn't wait for it.
// Browser only (`ssr: false`): the server never renders a conversation (which one is open is read from the URL
// after hydration), so `next dev` doesn't compile the engine a second time for server rendering before it
// answers the first page (docs/benchmarks.md, "next dev: the first page").
const ChatView = dynamic(() => import("@/components/chat/chat-view").then((m) => m.ChatView), {
  ssr: false,
  loading: () => <ChatPlaceholder />,
});

function setUrlConversation(id: string | null) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("c", id);
  else url.searchParams.delete("c");
  window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}

export function ChatApp() {
  const [current, setCurrent] = useState<Current | null>(null);
  /** The open conversation's model (its view reports it; null: the plan's default). */
  const [chatModel, setChatModel] = useState<string | null>(null);
  const { session, conversations, usage, health, limits, models, afterReply } = useAppData({
    conversationId: current?.id ?? null,
    model: chatModel,
  });
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  // Reopen the conversation named in the URL, else the new chat whose draft this browser kept, else a fresh one.
  useEffect(() => {
    const storage = browserStorage();
    pruneSavedChats(storage, Date.now());
    pruneModelChoices(storage, Date.now());
    const c = new URLSearchParams(window.location.search).get("c");
    // A malformed id is opened too: it can't exist, and the view says so rather than silently starting afresh.
    if (c) setCurrent({ id: c, isNew: false });
    else setCurrent({ id: readFreshChat(storage, Date.now()) ?? newConversationId(), isNew: true });
  }, []);

  const closeMenu = useCallback(() => {
    setMenuOpen(false);
    menuButton.current?.focus();
  }, []);
  /** Where focus goes when the menu opens: New chat, unless something asked for another target. */
  const menuFocus = useRef<string | null>(null);
  useEffect(() => {
    if (!menuOpen) return;
    document.querySelector<HTMLElement>(menuFocus.current ?? "#sidebar [data-testid='new-chat']")?.focus();
    menuFocus.current = null;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && closeMenu();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen, closeMenu]);

  const startFresh = useCallback(() => {
    setCurrent({ id: newConversationId(), isNew: true });
    setUrlConversation(null);
  }, []);
  const newChat = useCallback(() => {
    startFresh();
    setMenuOpen(false);
    focusComposer();
  }, [startFresh]);
  /** A new chat that sends `text` at once (the paywall's "Start a new chat" for a too-long conversation). */
  const newChatWith = useCallback((text: string) => {
    setCurrent({ id: newConversationId(), isNew: true, firstMessage: text || undefined });
    setUrlConversation(null);
    focusComposer();
  }, []);

  const select = useCallback((id: string) => {
    setCurrent((cur) => (cur?.id === id ? cur : { id, isNew: false }));
    setUrlConversation(id);
    setMenuOpen(false);
  }, []);

  const { setData: setConversations, refresh: refreshConversations } = conversations;
  const remove = useCallback(
    async (id: string) => {
      try {
        await api.deleteConversation(id);
      } catch (error) {
        if (!(error instanceof ApiHttpError && error.status === 404)) {
          void refreshConversations();
          return;
        }
      }
      setConversations((list) => list?.filter((c) => c.id !== id) ?? null);
      if (current?.id === id) newChat();
      void refreshConversations();
    },
    [current?.id, newChat, setConversations, refreshConversations],
  );

  /** Renames on the server, then in the list; a failure reaches the rename field (it shows the reason). */
  const rename = useCallback(
    async (id: string, title: string) => {
      const renamed = await api.renameConversation(id, title);
      setConversations(
        (list) => list?.map((c) => (c.id === id ? { ...c, title: renamed.title } : c)) ?? null,
      );
    },
    [setConversations],
  );
  const listStale = useCallback(() => void refreshConversations(), [refreshConversations]);

  const onSend = useCallback((id: string) => {
    if (new URLSearchParams(window.location.search).get("c") !== id) setUrlConversation(id);
  }, []);
  const onSettled = afterReply;
  const refreshModels = models.refresh;

  const onSessionChanged = useCallback(
    (change: "signed-in" | "signed-out") => {
      void session.refresh();
      void refreshConversations();
      void usage.refresh();
      void limits.refresh();
      void models.refresh();
      // Signing in keeps the open conversation (it moved to the account with the guest's others, see
      // lib/auth/adopt-guest.ts); after signing out it belongs to someone else, so start afresh.
      if (change === "signed-out") {
        // Nor does the new chat's unsent draft come back for whoever uses this browser next.
        writeFreshChat(browserStorage(), null);
        newChat();
      }
    },
    [session.refresh, refreshConversations, usage.refresh, limits.refresh, models.refresh, newChat],
  );

  // "Sign in to upgrade" (a guest at the paywall): open the sidebar on phones and focus the first sign-in.
  const showSignIn = useCallback(() => {
    const target = "#account .signin-provider, #account #signin-name";
    // Only phones hide the sidebar (layout.css breakpoint); on a desktop it is already on screen.
    if (window.matchMedia("(max-width: 767px)").matches) {
      menuFocus.current = target;
      setMenuOpen(true);
    } else {
      document.querySelector<HTMLElement>(target)?.focus();
    }
  }, []);
  const sessionInfo = session.data;
  const canSignIn = Boolean(sessionInfo?.sign_in_providers.length || sessionInfo?.dev_signin);
  const upgrade = useMemo(
    () => ({
      url: sessionInfo?.upgrade_url ?? null,
      signIn: sessionInfo && !sessionInfo.user && canSignIn ? showSignIn : null,
      plan: sessionInfo?.upgrade_plan ?? null,
    }),
    [sessionInfo, canSignIn, showSignIn],
  );

  const title = conversations.data?.find((c) => c.id === current?.id)?.title?.trim() || "New chat";
  // The browser tab names the open conversation, so several open tabs (and the history list) tell apart.
  useEffect(() => {
    document.title = title === "New chat" ? "Chat" : `${title} — Chat`;
  }, [title]);

  return (
    <div className="app">
      <a href="#composer-input" className="skip-link">
        Skip to message box
      </a>
      <Sidebar
        open={menuOpen}
        conversations={conversations.data}
        listFailed={conversations.failed}
        currentId={current?.id ?? null}
        session={session.data}
        layers={limits.data}
        usage={usage.data}
        onNewChat={newChat}
        onSelect={select}
        onDelete={remove}
        onRename={rename}
        onListStale={listStale}
        onSessionChanged={onSessionChanged}
        onClose={closeMenu}
      />
      {menuOpen && <div className="backdrop" aria-hidden="true" onClick={closeMenu} />}
      <div className="main-col">
        <header className="topbar">
          <button
            ref={menuButton}
            type="button"
            className="icon-btn menu-btn"
            aria-label="Open conversations menu"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen(true)}
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M4 7h16M4 12h16M4 17h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
          <h1 className="topbar-title">{title}</h1>
          <div className="topbar-meta">
            <ModelBadge health={health.data} failed={health.failed} />
            <UsageMeter usage={usage.data} />
          </div>
        </header>
        <main className="main" id="main">
          <MessageCapContext value={sessionInfo?.max_message_chars ?? DEFAULT_MAX_MESSAGE_CHARS}>
            {current ? (
              <ChatView
                key={current.id}
                conversationId={current.id}
                isNew={current.isNew}
                onSend={onSend}
                onSettled={onSettled}
                onStartNew={newChat}
                onStartNewWith={newChatWith}
                firstMessage={current.firstMessage}
                upgrade={upgrade}
                models={models.data}
                onModelsStale={refreshModels}
                onModelChange={setChatModel}
              />
            ) : (
              <ChatPlaceholder />
            )}
          </MessageCapContext>
        </main>
      </div>
    </div>
  );
}
