import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The local Upstash-compatible endpoint and test tooling are never part of the app bundle.
  outputFileTracingExcludes: { "*": ["tools/**", "e2e/**", "bench/**"] },
};

export default nextConfig;
