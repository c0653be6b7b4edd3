// Start-up hook: Node.js runtime only (see instrumentation-node.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { validateAndLogStartup } = await import("./instrumentation-node");
    await validateAndLogStartup();
  }
}
