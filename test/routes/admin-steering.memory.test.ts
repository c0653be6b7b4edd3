// The operator console's steering suite on the embedded in-memory store.
import { defineAdminSteeringSuite } from "./admin-steering-suite";
import { memoryBackend } from "./suite";

defineAdminSteeringSuite(memoryBackend);
