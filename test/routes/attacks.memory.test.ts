// The attacks suite on the embedded in-memory store.
import { defineAttacksSuite } from "./attacks-suite";
import { memoryBackend } from "./suite";

defineAttacksSuite(memoryBackend);
