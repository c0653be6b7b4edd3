// The provider-busy route suite on the embedded defaults: in-memory store and limiter.
import { defineProviderBusyRouteSuite } from "./provider-busy-suite";
import { memoryBackend } from "./suite";

defineProviderBusyRouteSuite(memoryBackend);
