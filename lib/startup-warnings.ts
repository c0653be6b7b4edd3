// What start-up warns about: settings that are valid but unsafe where the app runs (logged once, never fatal).
import type { Config } from "./config";

/** Each warning as one log line's text (without the `[startup]` prefix). */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.isProduction && !config.onVercel && !config.proxy.trustedHopsSet) {
    // `next start` keeps a client-written X-Forwarded-For as is: with no proxy in front, the per-IP
    // layers and guest limits would key on whatever the client wrote.
    warnings.push(
      "TRUSTED_PROXY_HOPS is not set: assuming 1 proxy in front of this server that appends the " +
        "client address to X-Forwarded-For. Without such a proxy clients choose their own IP key; set " +
        "TRUSTED_PROXY_HOPS to the number of proxies you run (0 for none: every client then shares one IP bucket).",
    );
  }
  if (config.isProduction && config.auth.devSignin) {
    // The dev sign-in vouches for nobody: anyone can sign in as any name, and so as any derived user id.
    warnings.push(
      "AUTH_DEV_SIGNIN=true in production: anyone can sign in under any name, with no password or provider. " +
        "Unset it unless this deployment is a throwaway test instance.",
    );
  }
  return warnings;
}
