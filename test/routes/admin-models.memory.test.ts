// The console's per-model figures on the embedded in-memory store.
import { defineAdminModelsSuite } from "./admin-models-suite";
import { memoryBackend } from "./suite";

defineAdminModelsSuite(memoryBackend);
