// Finding users by name in the operator console, on the embedded in-memory store.
import { defineAdminUsersSuite } from "./admin-users-suite";
import { memoryBackend } from "./suite";

defineAdminUsersSuite(memoryBackend);
