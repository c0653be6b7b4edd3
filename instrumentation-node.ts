// Start-up: validate the whole config once (a bad variable stops the server, naming it) and log the setup.
import { ConfigError, getConfig } from "./lib/config";

export async function validateAndLogStartup(): Promise<void> {
  try {
    const config = getConfig();
    // Imported only after getConfig() has normalised the environment the provider SDKs read at import time.
    const { services } = await import("./lib/services");
    const store = config.redis ? "Upstash Redis (REST)" : "in-memory (embedded default, one process)";
    console.info(`[startup] model: ${services().model.label}; store and rate limits: ${store}`);
    if (config.isProduction && !config.onVercel && !config.proxy.trustedHopsSet) {
      // `next start` keeps a client-written X-Forwarded-For as is: with no proxy in front, the per-IP
      // layers and guest limits would key on whatever the client wrote.
      console.warn(
        "[startup] TRUSTED_PROXY_HOPS is not set: assuming 1 proxy in front of this server that appends the " +
          "client address to X-Forwarded-For. Without such a proxy clients choose their own IP key; set " +
          "TRUSTED_PROXY_HOPS to the number of proxies you run (0 for none: every client then shares one IP bucket).",
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[startup] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
