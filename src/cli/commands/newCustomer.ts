import * as fs from "node:fs";
import * as path from "node:path";
import { CommandContext, CommandFactory, typedCommand, withExamples } from "../command";
import { UsageError } from "../usageErrors";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { stackFilePath } from "../../stacks/stackFile";
import { checkNewStackName } from "../../stacks/newStackName";
import { DIR_FLAG_HELP, findProjectRoot, fromCwd, stacksDirectoryToWrite } from "../../stacks/projectRoot";
import { CLOUDS } from "../../catalogue/clouds";
import type { ConnectorSettings } from "../../config/settings";
import { adminConsentLink } from "../../partner/consentLink";
import { PartnerConfig, readPartnerConfig } from "../../partner/partnerConfig";
import { parseCustomerList } from "../../stacks/customerList";
import { planCustomerList, RowProblem } from "../../stacks/customerListPlan";
import { writeNewFilesAllOrNothing } from "../../stacks/writeNewFiles";
import { readBoundedFile } from "../../util/readBoundedFile";
import { decideClashes, markerInstruction } from "../../stacks/newCustomerClashes";
import { newCustomerConfig } from "../../stacks/newCustomerConfig";
import { renderStackFile } from "../../stacks/renderStackFile";
import { readStackIdentities, stackNamesIn } from "../../stacks/stackDirectory";

export const newCustomerCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .positional("stack", { type: "string", describe: "Stack name for the customer: letters, digits, '-', '_', '.' (not with --from)" })
          .option("tenant-id", { type: "string", describe: "The customer's Entra Directory (tenant) ID, a GUID (required without --from)" })
          .option("company-id", {
            type: "string",
            describe: "The Nexxt Company ID (a positive whole number), or the licence page address http(s)://<host>/accounts/edit/<id> (required without --from)",
          })
          .option("from", {
            type: "string",
            describe: `A CSV list of customers, header ${CSV_HEADER_HELP}: every row checked first, then all stack files written or none`,
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
          .option("json", { type: "boolean", default: false, describe: "Print what was written as JSON (for scripts)" })
          .check((argv) => {
            if (argv.from !== undefined) {
              const perCustomer = ["stack", "tenant-id", "company-id", "nexxt-url", "display-name"].filter((flag) => argv[flag] !== undefined);
              if (perCustomer.length > 0) {
                throw new UsageError(
                  `--from reads each customer's values from the list; leave out ${perCustomer.map((flag) => (flag === "stack" ? "the stack name" : `--${flag}`)).join(", ")} (put them in the list's columns).`,
                );
              }
              if (argv["allow-shared-tenant"])
                throw new UsageError("--allow-shared-tenant is for one customer at a time; leave that customer out of the list and run new-customer for it on its own.");
              return true;
            }
            const missing = [
              argv.stack === undefined ? "the stack name" : undefined,
              argv["tenant-id"] === undefined ? "--tenant-id" : undefined,
              argv["company-id"] === undefined ? "--company-id" : undefined,
            ].filter((what): what is string => what !== undefined);
            if (missing.length > 0) {
              throw new UsageError(
                `new-customer needs ${missing.join(", ")} (or --from with a list of customers): \`bin/nexxt-onboard new-customer <stack> --tenant-id <guid> --company-id <id>\`; \`bin/nexxt-onboard new-customer --help\` shows an example.`,
              );
            }
            return true;
          }),
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
          { describe: "A whole customer list: all stack files, or none and every bad row", lines: ["$0 new-customer --from customers.csv"] },
        ],
      ),
    handler: async (argv) => {
      if (argv.from !== undefined) {
        newCustomersFromList(ctx, { ...argv, from: argv.from });
        return;
      }
      const stack = argv.stack as string;
      const cwd = ctx.io.cwd;
      // Paths relative to where the user stands: what they type next (git add, an editor).
      const stacksDir = fromCwd(cwd, stacksDirectoryToWrite(cwd, argv.dir));
      const partner = partnerOf(cwd, stacksDir);
      checkNewStackName(stack, stackNamesIn(cwd, stacksDir), stacksDir);
      const file = stackFilePath(cwd, stack, stacksDir);
      const relativeFile = fromCwd(cwd, file);
      if (fs.existsSync(file)) throw alreadyExists(stack, relativeFile);

      const input = {
        tenantId: argv["tenant-id"] as string,
        companyId: argv["company-id"] as string,
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
      const consent = consentFor(partner, stack, settings);
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
              ...consentJson(consent),
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
            ...consentLines(consent),
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

/** The header the help shows for --from. */
const CSV_HEADER_HELP = "customer,tenantId,companyId[,nexxtUrl][,displayName]";

/** A list of 1,000 customers is ~100 KB; anything near this is not a customer list. */
const MAX_LIST_BYTES = 16 * 1024 * 1024;

interface ListFlags {
  from: string;
  dir?: string;
  permissions?: string;
  cloud?: string;
  "allow-high-privilege": boolean;
  json: boolean;
}

/**
 * `new-customer --from customers.csv`: every row checked as one new-customer would check it, and
 * against the existing stacks and the rows before it; then all stack files written, or none and
 * every bad row named by line and customer. Rows whose stack exists with the same tenant and
 * Company ID are reported as existing, so running the same list again changes nothing.
 */
function newCustomersFromList(ctx: CommandContext, argv: ListFlags): void {
  const cwd = ctx.io.cwd;
  const stacksDirAbsolute = stacksDirectoryToWrite(cwd, argv.dir);
  const stacksDir = fromCwd(cwd, stacksDirAbsolute);
  const listPath = path.resolve(cwd, argv.from);
  const text = readBoundedFile(listPath, { what: "The customer list", maxBytes: MAX_LIST_BYTES, hint: "give --from a CSV file of customers", shownAs: argv.from });
  const rows = parseCustomerList(text, argv.from);
  const now = ctx.io.now();
  const plan = planCustomerList(rows, {
    stacksDir,
    existingStacks: stackNamesIn(cwd, stacksDir),
    identities: readStackIdentities(cwd, stacksDir),
    permissions: argv.permissions,
    cloud: argv.cloud,
    allowHighPrivilege: argv["allow-high-privilege"],
    now,
  });
  if (plan.problems.length > 0) {
    if (argv.json) ctx.io.stdout(JSON.stringify({ written: [], existing: [], problems: plan.problems }, null, 2));
    throw new UserError(
      [
        `${argv.from}: ${plan.problems.length} of ${rows.length} rows cannot be onboarded, so no stack file was written; correct these rows and run the same command again:`,
        ...plan.problems.map(problemLine),
      ].join("\n"),
    );
  }
  const partner = partnerOf(cwd, stacksDir);
  writeNewFilesAllOrNothing(plan.write.map((entry) => ({ path: path.resolve(cwd, entry.file), text: entry.text, shownAs: entry.file })));

  const written = plan.write.map((entry) => ({
    line: entry.line,
    stack: entry.stack,
    file: entry.file,
    consent: consentFor(partner, entry.stack, entry.settings),
    settings: entry.settings,
  }));
  const steps =
    written.length === 0
      ? []
      : [
          `Review the new files in ${stacksDir}: each lists every default its stack relies on.`,
          `Send each customer's administrator their consent link (above), so the pipeline can sign in to their tenant.`,
          `git switch -c onboard/list-${now.toISOString().slice(0, 10)} && git add ${written.map((entry) => entry.file).join(" ")} && git commit -m "Onboard ${written.length} customers" && git push -u origin HEAD; merging the pull request runs pulumi up for each.`,
        ];
  if (argv.json) {
    ctx.io.stdout(
      JSON.stringify(
        {
          written: written.map((entry) => ({
            line: entry.line,
            stack: entry.stack,
            file: entry.file,
            tenantId: entry.settings.tenantId,
            companyId: entry.settings.companyId,
            cloud: entry.settings.cloud.name,
            ...consentJson(entry.consent),
          })),
          existing: plan.existing,
          problems: [],
          nextSteps: steps,
        },
        null,
        2,
      ),
    );
  } else {
    const lines: string[] = [];
    if (written.length > 0) {
      lines.push(`Wrote ${written.length} stack files in ${stacksDir}:`);
      for (const entry of written) {
        lines.push(`  ${entry.stack}: tenant ${entry.settings.tenantId}, Company ID ${entry.settings.companyId} (${entry.file})`);
        lines.push(...consentLines(entry.consent).map((line) => `    ${line}`));
      }
    } else {
      lines.push(`No stack file written: every customer of ${argv.from} already has one.`);
    }
    if (plan.existing.length > 0) {
      lines.push(`Already onboarded, unchanged (${plan.existing.length}): ${plan.existing.map((entry) => entry.stack).join(", ")}.`);
    }
    if (steps.length > 0) lines.push("Next steps:", ...steps.map((step, index) => `  ${index + 1}. ${step}`));
    ctx.io.stdout(lines.join("\n"));
  }
  ctx.setExitCode(ExitCode.Ok);
}

function problemLine(problem: RowProblem): string {
  return `  line ${problem.line} (customer '${problem.customer}'): ${problem.message}`;
}

/** partner.yaml of the project the stacks belong to, if the partner has set one up. */
function partnerOf(cwd: string, stacksDir: string): PartnerConfig | undefined {
  const root = findProjectRoot(path.resolve(cwd, stacksDir));
  return root === undefined ? undefined : readPartnerConfig(root, fromCwd(cwd, path.join(root, "partner.yaml")));
}

/** What the customer's admin is sent: the deploy app's link, and the read-only preview app's when there is one. */
type Consent = { deploy: string; preview?: string } | { missing: string } | undefined;

function consentFor(partner: PartnerConfig | undefined, stack: string, settings: ConnectorSettings): Consent {
  if (partner === undefined) return undefined;
  const apps = partner.apps[settings.cloud.name];
  if (apps === undefined) {
    return {
      missing: `${partner.file} has no pipeline app for the cloud ${settings.cloud.name}: an app of one Microsoft cloud cannot sign in to another, so run the partner stack for ${settings.cloud.name} (docs/partner-identity.md) and add its apps.${settings.cloud.name} entry.`,
    };
  }
  const link = (clientId: string) =>
    adminConsentLink({ cloud: CLOUDS[settings.cloud.name], tenantId: settings.tenantId, clientId, redirectUri: partner.consentRedirectUri, state: stack });
  return apps.preview === undefined ? { deploy: link(apps.deploy) } : { deploy: link(apps.deploy), preview: link(apps.preview) };
}

function consentJson(consent: Consent): Record<string, unknown> {
  if (consent === undefined) return {};
  if ("missing" in consent) return { consentLinks: null, consentProblem: consent.missing };
  return { consentLinks: consent };
}

function consentLines(consent: Consent): string[] {
  if (consent === undefined) return [];
  if ("missing" in consent) return [`Note: ${consent.missing}`];
  const lines = ["Consent link for the customer's Global Administrator or Privileged Role Administrator (once; docs/onboarding.md):", `  ${consent.deploy}`];
  if (consent.preview !== undefined) lines.push("and for the read-only preview app:", `  ${consent.preview}`);
  return lines;
}
