// The provider-busy route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineProviderBusyRouteSuite } from "./provider-busy-suite";
import { redisBackend } from "./suite";

defineProviderBusyRouteSuite(redisBackend());
