// The conversation's model menu under the composer: a menu button and a menu of radio items (WAI-ARIA menu
// button pattern: arrows, Home/End, Esc, Tab). Models outside the plan are there but disabled, naming the plan
// that has them, with the paywall's way there (Sign in to upgrade / Upgrade) as the menu's last item.
"use client";

import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { ModelInfo } from "@/components/api";
import { type UpgradePath, unlockAction, unlockOf } from "@/lib/chat-client/model-choice";
import type { UpgradeOptions } from "./paywall-dialog";

type Props = {
  models: readonly ModelInfo[];
  value: string | null;
  onChange: (key: string) => void;
  upgrade: UpgradeOptions;
};

const items = (menu: HTMLElement | null) =>
  Array.from(menu?.querySelectorAll<HTMLElement>("[role^='menuitem']") ?? []);

export function ModelPicker({ models, value, onChange, upgrade }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const path: UpgradePath = {
    canSignIn: upgrade.signIn !== null,
    checkoutUrl: upgrade.url,
    upgradePlan: upgrade.plan?.plan ?? null,
  };
  const current = models.find((m) => m.key === value);
  const way = unlockAction(models, path);

  // Opening focuses the chosen model; a click or tap outside closes without moving the focus.
  useEffect(() => {
    if (!open) return;
    const list = items(menu.current);
    (list.find((item) => item.getAttribute("aria-checked") === "true") ?? list[0])?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const list = items(menu.current);
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => list[(to + list.length) % list.length]?.focus();
    if (event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(list.length - 1);
    else if (event.key === "Escape") close();
    else if (event.key === "Tab") setOpen(false);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  };
  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    setOpen(true);
  };

  return (
    <div className="model-picker">
      <button
        ref={button}
        type="button"
        className="model-picker-btn"
        data-testid="model-picker"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onButtonKey}
      >
        <span className="sr-only">Model: </span>
        <span className="model-picker-label">{current?.label ?? "Model"}</span>
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
          <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="Model for this chat"
          className="model-menu"
          data-testid="model-menu"
          onKeyDown={onMenuKey}
        >
          {models.map((model) => {
            const unlock = model.available ? null : unlockOf(model, path);
            return (
              <button
                key={model.key}
                type="button"
                role="menuitemradio"
                tabIndex={-1}
                className="model-option"
                data-testid="model-option"
                data-model={model.key}
                aria-checked={model.key === value}
                aria-disabled={unlock ? true : undefined}
                onClick={() => {
                  if (unlock) return;
                  onChange(model.key);
                  close();
                }}
              >
                <span className="model-option-text">
                  <span className="model-option-label">{model.label}</span>
                  {unlock && (
                    <span className="model-option-note" data-testid="model-option-plan">
                      Needs {unlock.plan}
                    </span>
                  )}
                </span>
                {model.key === value && (
                  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                    <path
                      d="M5 12.5l4.5 4.5L19 7.5"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="2.2"
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    />
                  </svg>
                )}
              </button>
            );
          })}
          {way && (
            <>
              <hr className="model-menu-sep" />
              {way.action === "checkout" && upgrade.url ? (
                <a
                  role="menuitem"
                  tabIndex={-1}
                  className="model-option model-unlock"
                  data-testid="model-unlock"
                  href={upgrade.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  onClick={() => setOpen(false)}
                >
                  <span className="model-option-text">
                    <span className="model-option-label">{way.label}</span>
                    <span className="model-option-note">{way.detail}</span>
                  </span>
                </a>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="model-option model-unlock"
                  data-testid="model-unlock"
                  onClick={() => {
                    setOpen(false);
                    upgrade.signIn?.();
                  }}
                >
                  <span className="model-option-text">
                    <span className="model-option-label">{way.label}</span>
                    <span className="model-option-note">{way.detail}</span>
                  </span>
                </button>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
