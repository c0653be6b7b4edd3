import { execSync } from "node:child_process";
import type { NextConfig } from "next";

/** The commit being built, for /api/version; Vercel provides VERCEL_GIT_COMMIT_SHA itself. */
function buildCommit(): string {
  if (process.env.VERCEL_GIT_COMMIT_SHA) return process.env.VERCEL_GIT_COMMIT_SHA;
  try {
    return execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "";
  }
}

/**
 * Sent with every page and API answer. The app is never meant to be framed (a framed /admin could be
 * clicked through by another site), so both the old and the CSP way say so; only frame-ancestors is set in
 * the CSP, so the inline theme script and Next's own scripts are untouched. `same-origin` keeps conversation
 * links (`/?c=<id>`) out of the Referer sent to other sites (links in replies, the Payment Link).
 */
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // Benchmarks build into their own folder so they never race a test build in the same checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // Dev only: the tools button sits top right, where the top bar keeps room for it in dev (layout.css), instead
  // of the default bottom left over the Guest avatar (desktop) and the message box (phones); bottom right would
  // cover a phone's Send button, top left its menu button.
  devIndicators: { position: "top-right" },
  env: { APP_BUILD_COMMIT: buildCommit() },
  // The local Upstash-compatible endpoint and test tooling are never part of the app bundle.
  outputFileTracingExcludes: { "*": ["tools/**", "e2e/**", "bench/**", "test/**"] },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
