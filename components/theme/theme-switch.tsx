// System / Light / Dark as a radio group (arrow keys move between them); other tabs follow a change.
"use client";

import { useLayoutEffect, useSyncExternalStore } from "react";
import {
  applyTheme,
  readThemePreference,
  saveThemePreference,
  THEME_COLORS,
  THEME_PREFERENCES,
  THEME_STORAGE_KEY,
  type ThemePreference,
} from "./theme";

const LABELS: Record<ThemePreference, string> = { system: "System", light: "Light", dark: "Dark" };
const ICONS: Record<ThemePreference, string> = {
  system: "M4 5h16v10H4zM9 19h6M12 15v4",
  light:
    "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4",
  dark: "M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z",
};

const CHANGED = "themechange";
function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_STORAGE_KEY && event.key !== null) return;
    applyTheme(readThemePreference(), THEME_COLORS);
    onChange();
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener(CHANGED, onChange);
  };
}
// The server can't know the stored choice: it renders "system", and React re-renders with the real one.
const serverPreference = (): ThemePreference => "system";

export function ThemeSwitch() {
  const preference = useSyncExternalStore(subscribe, readThemePreference, serverPreference);

  // The head script already applied the theme; in development React's Strict Mode remount resets <html>'s
  // attributes, so apply it once more here (a no-op in production).
  useLayoutEffect(() => applyTheme(readThemePreference(), THEME_COLORS), []);

  const choose = (next: ThemePreference) => {
    saveThemePreference(next);
    window.dispatchEvent(new Event(CHANGED));
  };

  return (
    <fieldset className="theme-switch" data-testid="theme-switch">
      <legend className="sr-only">Theme</legend>
      {THEME_PREFERENCES.map((option) => (
        <label key={option} className="theme-option" title={`${LABELS[option]} theme`}>
          <input
            type="radio"
            name="theme"
            value={option}
            className="sr-only"
            checked={preference === option}
            onChange={() => choose(option)}
          />
          <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true">
            <path
              d={ICONS[option]}
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>{LABELS[option]}</span>
        </label>
      ))}
    </fieldset>
  );
}
