// The models route suite on the embedded defaults: in-memory store and limiter.
import { defineModelsRouteSuite } from "./models-suite";
import { memoryBackend } from "./suite";

defineModelsRouteSuite(memoryBackend);
