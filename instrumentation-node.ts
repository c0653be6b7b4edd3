// Start-up: validate the whole config once (a bad variable stops the server, naming it) and log the setup.
import { ConfigError, getConfig } from "./lib/config";
import { startupWarnings } from "./lib/startup-warnings";

export async function validateAndLogStartup(): Promise<void> {
  try {
    const config = getConfig();
    // Imported only after getConfig() has normalised the environment the provider SDKs read at import time.
    const { services } = await import("./lib/services");
    const store = config.redis ? "Upstash Redis (REST)" : "in-memory (embedded default, one process)";
    console.info(`[startup] model: ${services().model.label}; store and rate limits: ${store}`);
    for (const warning of startupWarnings(config)) console.warn(`[startup] ${warning}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[startup] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
