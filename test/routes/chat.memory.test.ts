// The chat route suite on the embedded defaults: in-memory store and limiter.
import { defineChatRouteSuite } from "./chat-suite";
import { memoryBackend } from "./suite";

defineChatRouteSuite(memoryBackend);
