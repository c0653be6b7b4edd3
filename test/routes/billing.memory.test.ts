// Billing webhook route suite on the in-memory store.
import { defineBillingRouteSuite } from "./billing-suite";

defineBillingRouteSuite({ name: "memory", setup: async () => ({}) });
