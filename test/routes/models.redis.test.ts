// The models route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineModelsRouteSuite } from "./models-suite";
import { redisBackend } from "./suite";

defineModelsRouteSuite(redisBackend());
