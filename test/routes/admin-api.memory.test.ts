// The operator console's API suite on the embedded in-memory store.
import { defineAdminApiSuite } from "./admin-api-suite";
import { memoryBackend } from "./suite";

defineAdminApiSuite(memoryBackend);
