// The CrossGuard policy pack: `pulumi preview --policy-pack policy` (and the pipeline) load this.
// The policies live in policies.ts so tests can run them without starting the policy server,
// which `new PolicyPack` does.
import { PolicyPack } from "@pulumi/policy";
import { nexxtPolicies } from "./policies";

new PolicyPack("nexxt-office365", { policies: nexxtPolicies({ now: () => new Date() }) });
