// Billing webhook route suite on the in-memory store.
import { defineBillingRouteSuite } from "./billing-suite";
import { memoryBackend } from "./suite";

defineBillingRouteSuite(memoryBackend);
