// Root layout: document shell, metadata, viewport, the theme script and theme colors, and the global stylesheet.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import "@/components/styles/sidebar.css";
import "@/components/styles/widgets.css";
// After the sidebar/widget base rules: holds their phone overrides.
import "@/components/styles/layout.css";
import "@/components/styles/chat.css";
import "@/components/styles/markdown.css";
import "@/components/styles/composer.css";
import { THEME_COLORS } from "@/components/theme/theme";
import { ThemeScript } from "@/components/theme/theme-script";

export const metadata: Metadata = {
  title: "Chat",
  description: "A calm chat app with fair-use throttling.",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The head script sets data-theme before React hydrates: the attribute is expected to differ.
    // data-dev-tools (next dev only) makes room for Next's dev tools button in the top bar (next.config.ts).
    <html
      lang="en"
      suppressHydrationWarning
      data-dev-tools={process.env.NODE_ENV === "development" ? "" : undefined}
    >
      <head>
        {/* Written here rather than in `viewport` so they precede the script that adjusts them. */}
        <meta
          name="theme-color"
          media="(prefers-color-scheme: light)"
          content={THEME_COLORS.light}
          suppressHydrationWarning
        />
        <meta
          name="theme-color"
          media="(prefers-color-scheme: dark)"
          content={THEME_COLORS.dark}
          suppressHydrationWarning
        />
        <ThemeScript />
      </head>
      <body>{children}</body>
    </html>
  );
}
