// The reply stream route suite on the embedded defaults: in-memory store and limiter.
import { defineReplyStreamRouteSuite } from "./reply-stream-suite";
import { memoryBackend } from "./suite";

defineReplyStreamRouteSuite(memoryBackend);
