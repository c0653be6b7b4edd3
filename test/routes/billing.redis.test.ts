// Billing webhook route suite on real Redis through the project's Upstash-compatible REST endpoint.
import { defineBillingRouteSuite } from "./billing-suite";
import { redisBackend } from "./suite";

defineBillingRouteSuite(redisBackend());
