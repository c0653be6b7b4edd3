// Conversation rename routes on real Redis through the project's Upstash-compatible REST endpoint.
import { defineConversationRouteSuite } from "./conversations-suite";
import { redisBackend } from "./suite";

defineConversationRouteSuite(redisBackend());
