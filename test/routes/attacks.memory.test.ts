// The attacks suite on the embedded in-memory store.
import { defineAttacksSuite } from "./attacks-suite";

defineAttacksSuite({ name: "memory", setup: async () => ({}) });
