// The message-cost route suite on the embedded defaults: in-memory store and limiter.
import { defineMessageCostRouteSuite } from "./message-cost-suite";
import { memoryBackend } from "./suite";

defineMessageCostRouteSuite(memoryBackend);
