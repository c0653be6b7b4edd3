// The reply stream route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineReplyStreamRouteSuite } from "./reply-stream-suite";
import { redisBackend } from "./suite";

defineReplyStreamRouteSuite(redisBackend());
