// Start-up: validate the whole config once (a bad variable stops the server, naming it) and log the setup.
import { defaultChatModel } from "./lib/ai/model-label";
import { ConfigError, getConfig } from "./lib/config";
import { startupWarnings } from "./lib/startup-warnings";

export async function validateAndLogStartup(): Promise<void> {
  try {
    const config = getConfig();
    // The label only, not services(): importing those (the provider SDKs, the stores) here made `next dev`
    // compile the whole server before it answered its first page (docs/benchmarks.md, "next dev").
    const store = config.redis ? "Upstash Redis (REST)" : "in-memory (embedded default, one process)";
    console.info(`[startup] model: ${defaultChatModel(config).label}; store and rate limits: ${store}`);
    for (const warning of startupWarnings(config)) console.warn(`[startup] ${warning}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[startup] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
