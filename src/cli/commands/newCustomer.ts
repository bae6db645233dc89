import * as fs from "node:fs";
import * as path from "node:path";
import { CommandContext, CommandFactory, typedCommand, withExamples } from "../command";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { stackFilePath } from "../../stacks/stackFile";
import { checkNewStackName } from "../../stacks/newStackName";
import { DIR_FLAG_HELP, fromCwd, stacksDirectory } from "../../stacks/projectRoot";
import { decideClashes, markerInstruction } from "../../stacks/newCustomerClashes";
import { newCustomerConfig } from "../../stacks/newCustomerConfig";
import { renderStackFile } from "../../stacks/renderStackFile";
import { readStackIdentities, stackNamesIn } from "../../stacks/stackDirectory";

export const newCustomerCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .positional("stack", { type: "string", demandOption: true, describe: "Stack name for the customer: letters, digits, '-', '_', '.'" })
          .option("tenant-id", { type: "string", demandOption: true, describe: "The customer's Entra Directory (tenant) ID, a GUID" })
          .option("company-id", {
            type: "string",
            demandOption: true,
            describe: "The Nexxt Company ID (a positive whole number), or the licence page address http(s)://<host>/accounts/edit/<id>",
          })
          .option("nexxt-host", {
            type: "string",
            describe:
              "The customer's Nexxt hostname or IP address, for ClearVox sales and the hand-off (default: the host of --nexxt-url or of a pasted licence page; asked for on a terminal)",
          })
          .option("nexxt-url", { type: "string", describe: "The customer's Nexxt address (https)" })
          .option("permissions", { type: "string", describe: "Graph application permissions, comma-separated (default User.Read.All,Contacts.Read)" })
          .option("cloud", { type: "string", describe: "Microsoft cloud: public, usgovernmentl4, usgovernmentl5 or china (default public)" })
          .option("display-name", { type: "string", describe: 'Name of the app registration (default "ClearVox Nexxt")' })
          .option("allow-high-privilege", { type: "boolean", default: false, describe: "Allow a high-privilege permission in --permissions (written as nexxt:allowHighPrivilege)" })
          .option("allow-shared-tenant", { type: "boolean", default: false, describe: "Allow a tenant ID another stack already uses (writes the shared-tenant marker)" })
          .option("dir", { type: "string", describe: DIR_FLAG_HELP })
          .option("json", { type: "boolean", default: false, describe: "Print what was written as JSON (for scripts)" }),
        [
          {
            describe: "A customer with the default permissions",
            lines: ["$0 new-customer acme", "--tenant-id 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c --company-id 4711", "--nexxt-host pbx.acme.nl"],
          },
          {
            describe: "Company ID from the pasted licence page, and one permission more",
            lines: [
              "$0 new-customer acme",
              "--tenant-id 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c",
              "--company-id https://pbx.acme.nl/accounts/edit/4711",
              "--nexxt-url https://pbx.acme.nl",
              "--permissions User.Read.All,Contacts.Read,OrgContact.Read.All",
            ],
          },
        ],
      ),
    handler: async (argv) => {
      const stack = argv.stack;
      const cwd = ctx.io.cwd;
      // Paths relative to where the user stands: what they type next (git add, an editor).
      const stacksDir = fromCwd(cwd, stacksDirectory(cwd, argv.dir));
      checkNewStackName(stack, stackNamesIn(cwd, stacksDir), stacksDir);
      const file = stackFilePath(cwd, stack, stacksDir);
      const relativeFile = fromCwd(cwd, file);
      if (fs.existsSync(file)) throw alreadyExists(stack, relativeFile);

      const input = {
        tenantId: argv["tenant-id"],
        companyId: argv["company-id"],
        nexxtUrl: argv["nexxt-url"],
        nexxtHost: argv["nexxt-host"] ?? hostOf(argv["nexxt-url"]) ?? hostOf(argv["company-id"]),
        permissions: argv.permissions,
        cloud: argv.cloud,
        displayName: argv["display-name"],
        allowHighPrivilege: argv["allow-high-privilege"],
        rotationStart: ctx.io.now(),
      };
      if (input.nexxtHost === undefined) {
        // The other flags are checked first: no question is asked for a command that cannot succeed.
        newCustomerConfig(input);
        input.nexxtHost = await askNexxtHost(ctx.io);
      }
      const { config, settings } = newCustomerConfig(input);
      const decision = decideClashes(
        { stack, tenantId: settings.tenantId, companyId: settings.companyId, displayName: settings.displayName },
        readStackIdentities(cwd, stacksDir),
        argv["allow-shared-tenant"],
      );
      const text = renderStackFile({ stack, config, sharedTenant: decision.sharedTenant, writtenOn: ctx.io.now() });
      try {
        // "wx": refuse to overwrite even a file created since the check above.
        fs.writeFileSync(file, text, { flag: "wx" });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") throw alreadyExists(stack, relativeFile);
        throw err;
      }

      const steps = nextSteps(stack, relativeFile, settings.tenantId, settings.sink.connectorConfigDir);
      const notes = decision.markerMissingIn.length > 0 ? [markerInstruction(decision.markerMissingIn)] : [];
      if (argv.json) {
        ctx.io.stdout(
          JSON.stringify(
            {
              stack,
              file: relativeFile,
              tenantId: settings.tenantId,
              companyId: settings.companyId,
              nexxtHost: settings.nexxtHost,
              permissions: settings.permissions.map((permission) => permission.name),
              cloud: settings.cloud.name,
              sharedTenant: decision.sharedTenant,
              markerMissingIn: decision.markerMissingIn,
              nextSteps: steps,
            },
            null,
            2,
          ),
        );
      } else {
        ctx.io.stdout(
          [
            `Wrote ${relativeFile}: tenant ${settings.tenantId}, Company ID ${settings.companyId}, Nexxt ${settings.nexxtHost}, permissions ${settings.permissions.map((p) => p.name).join(", ")}.`,
            ...notes.map((note) => `Note: ${note}`),
            "Next steps:",
            ...steps.map((step, index) => (index === steps.length - 1 ? `  ${step}` : `  ${index + 1}. ${step}`)),
          ].join("\n"),
        );
      }
      ctx.setExitCode(ExitCode.Ok);
    },
  });

/** The host of an address the user gave (--nexxt-url, or the licence page as --company-id); undefined for anything else. */
function hostOf(value: string | undefined): string | undefined {
  if (value === undefined || !/^https?:\/\//i.test(value.trim())) return undefined;
  try {
    return new URL(value.trim()).hostname.replace(/^\[(.*)\]$/, "$1") || undefined;
  } catch {
    return undefined; // the config check names the bad address
  }
}

/** On a terminal, asks; in a pipeline (no terminal), the flag is required. */
async function askNexxtHost(io: CommandContext["io"]): Promise<string> {
  if (!io.ask) {
    throw new UserError(
      "--nexxt-host is required here (no terminal to ask on): give the hostname or IP address of the customer's Nexxt, which goes to ClearVox sales with the Company ID, for example --nexxt-host pbx.acme.nl.",
    );
  }
  const answer = (await io.ask("Hostname or IP address of the customer's Nexxt (goes to ClearVox sales with the Company ID), e.g. pbx.acme.nl: ")).trim();
  if (answer === "") throw new UserError("No Nexxt hostname or IP address given; run again with --nexxt-host, for example --nexxt-host pbx.acme.nl.");
  return answer;
}

function alreadyExists(stack: string, relativeFile: string): UserError {
  return new UserError(`Stack '${stack}' already exists (${relativeFile}); new-customer never overwrites a stack: edit that file instead, or choose another stack name.`);
}

/**
 * The README's "Onboard one customer" after new-customer, for this stack; then the pull-request
 * route of docs/onboarding.md. test/cli/helpAndDocs.test.ts checks that each command is in the README.
 */
export function nextSteps(stack: string, relativeFile: string, tenantId: string, connectorConfigDir: string | undefined): string[] {
  const config = connectorConfigDir !== undefined ? path.join(connectorConfigDir, `${stack}.nexxt.json`) : "<connector file>";
  return [
    `Review ${relativeFile}: it lists every default the stack relies on.`,
    `bin/nexxt-onboard plan --stack ${stack}`,
    `az login --tenant ${tenantId} --allow-no-subscriptions   (a Global Administrator or Privileged Role Administrator)`,
    `bin/nexxt-onboard up --stack ${stack}   (creates the state, the stack and its passphrase file on first use: docs/up.md)`,
    `bin/nexxt-onboard map-users --config ${config} --nexxt-users users.csv --out mapping.csv`,
    `Or through a pull request instead of steps 3-5: git switch -c onboard/${stack} && git add ${relativeFile} && git commit -m "Onboard ${stack}" && git push -u origin onboard/${stack}; the pipeline plans and previews it, and merging runs pulumi up.`,
  ];
}
