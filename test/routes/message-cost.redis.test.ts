// The message-cost route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineMessageCostRouteSuite } from "./message-cost-suite";
import { redisBackend } from "./suite";

defineMessageCostRouteSuite(redisBackend());
