// The attacks suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineAttacksSuite } from "./attacks-suite";
import { redisBackend } from "./suite";

defineAttacksSuite(redisBackend());
