/**
 * The Officeless policy pack: `pulumi preview --policy-pack <this folder>` (in the installed
 * package: node_modules/@officeless/platform/dist/policy). The rules are policy/library.ts's.
 */
import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./library";

new PolicyPack("officeless", {
  description:
    "The Officeless platform's invariants: customer-key encryption, no public buckets, private API endpoints and nodes, TLS to caches, secrets, protection in prod, bounded node updates, IMDSv2, versioned key references, name limits, zone-pinned replicas",
  policies: crossGuardPolicies(),
});
