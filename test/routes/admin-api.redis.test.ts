// The operator console's API suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineAdminApiSuite } from "./admin-api-suite";
import { redisBackend } from "./suite";

defineAdminApiSuite(redisBackend());
