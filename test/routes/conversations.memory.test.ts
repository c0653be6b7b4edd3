// Conversation rename routes on the embedded defaults: in-memory store.
import { defineConversationRouteSuite } from "./conversations-suite";
import { memoryBackend } from "./suite";

defineConversationRouteSuite(memoryBackend);
