// The chat route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineChatRouteSuite } from "./chat-suite";
import { redisBackend } from "./suite";

defineChatRouteSuite(redisBackend());
