// The operator console's steering suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineAdminSteeringSuite } from "./admin-steering-suite";
import { redisBackend } from "./suite";

defineAdminSteeringSuite(redisBackend());
