// Route-level suite on the embedded defaults: in-memory store and limiter.
import { defineChatRouteSuite } from "./chat-suite";

defineChatRouteSuite({ name: "memory", setup: async () => ({}) });
