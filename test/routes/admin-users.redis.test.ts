// Finding users by name in the operator console, on real Redis through the project's Upstash-compatible endpoint.
import { defineAdminUsersSuite } from "./admin-users-suite";
import { redisBackend } from "./suite";

defineAdminUsersSuite(redisBackend());
