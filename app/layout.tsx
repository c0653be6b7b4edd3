// Root layout: document shell, metadata, viewport/theme colors and the global stylesheet.
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

export const metadata: Metadata = {
  title: "Chat",
  description: "A calm chat app with fair-use throttling.",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#17181b" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
