// Start-up: validate the whole config once (a bad variable stops the server, naming it) and log the setup.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, getConfig } = await import("./lib/config");
  try {
    const config = getConfig();
    const { getChatModel } = await import("./lib/ai/model");
    const store = config.redis ? "Upstash Redis (REST)" : "in-memory (embedded default, one process)";
    console.info(`[startup] model: ${getChatModel().label}; store and rate limits: ${store}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[startup] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
