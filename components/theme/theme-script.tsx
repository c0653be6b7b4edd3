// The inline head script that applies the remembered theme before the first paint (see theme.ts).
"use client";

import { THEME_SCRIPT } from "./theme";

// Scripts only run from the server's HTML; rendered on the client React would warn (and never run them), so
// the client renders the same element inert (text/plain) and keeps what the server sent.
export function ThemeScript() {
  return (
    <script
      type={typeof window === "undefined" ? "text/javascript" : "text/plain"}
      suppressHydrationWarning
      // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant we build ourselves, no user input.
      dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }}
    />
  );
}
