// The console's per-model figures on real Redis through the project's Upstash-compatible REST endpoint.
import { defineAdminModelsSuite } from "./admin-models-suite";
import { redisBackend } from "./suite";

defineAdminModelsSuite(redisBackend());
