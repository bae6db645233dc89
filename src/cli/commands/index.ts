import type { CommandModule } from "yargs";
import type { CommandContext, CommandFactory } from "../command";

/**
 * A command as the top-level help lists it: its name and description here, its builder and
 * handler in its own file, required only when yargs parses that command. map-users then loads
 * neither the stack files' YAML nor the demo, fleet or new-customer code (~25 ms of start-up).
 */
function lazy(command: string, describe: string, load: () => CommandFactory): CommandFactory {
  return (ctx: CommandContext) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let module: CommandModule<any, any> | undefined;
    const loaded = () => (module ??= load()(ctx));
    return {
      command,
      describe,
      // Every command's builder is a function (yargs also allows an object of options).
      builder: (y) => (loaded().builder as (y: unknown) => never)(y),
      handler: (argv) => loaded().handler(argv),
    };
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- a static import would load every command at start-up */
/** Every subcommand of nexxt-onboard, listed explicitly (one file per command beside this one). */
export const commands: CommandFactory[] = [
  lazy("plan", "Show what `pulumi up` would create for a stack, offline (no credentials, no Pulumi CLI)", () => (require("./plan") as typeof import("./plan")).planCommand),
  lazy("verify", "Prove that what Nexxt was given works: token, granted permissions, and Graph reads", () => (require("./verify") as typeof import("./verify")).verifyCommand),
  lazy(
    "preflight",
    "Before pulumi up: will it succeed in this tenant? Sign-in, tenant, roles, namesakes, credential policy, takeover",
    () => (require("./preflight") as typeof import("./preflight")).preflightCommand,
  ),
  lazy(
    "map-users",
    'Link existing Nexxt users to their Entra object ID (the "Extern toepassing ID")',
    () => (require("./mapUsers") as typeof import("./mapUsers")).mapUsersCommand,
  ),
  lazy(
    "new-customer [stack]",
    "Write stacks/Pulumi.<stack>.yaml for a new customer, or one per row of a list (--from), from validated input (never overwrites)",
    () => (require("./newCustomer") as typeof import("./newCustomer")).newCustomerCommand,
  ),
  lazy(
    "validate",
    "Check every stack file against the config schema and the cross-stack rules (exit 1 on any problem)",
    () => (require("./validate") as typeof import("./validate")).validateCommand,
  ),
  lazy(
    "push-config",
    "Send a connector configuration file to Nexxt (PUT, bearer token), as pulumi up does",
    () => (require("./pushConfig") as typeof import("./pushConfig")).pushConfigCommand,
  ),
  lazy(
    "secrets-report",
    "List every customer's client secret expiry, most urgent first; exit 1 when any needs attention",
    () => (require("./secretsReport") as typeof import("./secretsReport")).secretsReportCommand,
  ),
  lazy(
    "due",
    "List the stacks that need a `pulumi up` today and why, offline (rotation, lapsing secret, never deployed, changed file)",
    () => (require("./due") as typeof import("./due")).dueCommand,
  ),
  lazy(
    "up",
    "Connect one customer in one command (after az login): state, passphrase and stack set up when missing, pulumi up with the policy pack, verify, hand-off",
    () => (require("./up") as typeof import("./up")).upCommand,
  ),
  lazy(
    "fleet",
    "Every customer's deployed state from the state backend (masked): expiry, next rotation, last up and verify; --html for the fleet page",
    () => (require("./fleet") as typeof import("./fleet")).fleetCommand,
  ),
  lazy(
    "offboard",
    "Leave a customer: pulumi destroy of the stack (Nexxt's configuration too when pushed), then what stays in their tenant and how to remove it",
    () => (require("./offboard") as typeof import("./offboard")).offboardCommand,
  ),
  lazy(
    "demo",
    "Try verify, map-users and push-config without a tenant: local Microsoft and Nexxt stand-ins on 127.0.0.1",
    () => (require("./demo") as typeof import("./demo")).demoCommand,
  ),
];
/* eslint-enable @typescript-eslint/no-require-imports */
