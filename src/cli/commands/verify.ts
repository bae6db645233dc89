import { DEFAULT_PERMISSIONS } from "../../catalogue/graphPermissions";
import { expectedPermissions, renderChecks, verifyExitCode } from "../../graph/verifyChecks";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { integerFlag } from "../flagTypes";
import { graphConnectionFrom, httpOptionsFrom, withGraphFlags } from "./graphFlags";
import { ttyStatus } from "./ttyProgress";
import { MAX_STEP_MS, verifyWithWait } from "./verifyWait";
import { plural } from "../text";

/** A day: consent that has not arrived by then is not propagating, it is missing. */
const MAX_WAIT_SECONDS = 86_400;

export const verifyCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (y) =>
      withExamples(
        withGraphFlags(y)
          .option("permissions", {
            type: "string",
            array: true,
            describe: "Expected Graph application permissions (comma or space separated) [default: the --config list, else User.Read.All Contacts.Read]",
            coerce: (values: string[]) =>
              values
                .flatMap((value) => value.split(","))
                .map((value) => value.trim())
                .filter((value) => value !== ""),
          })
          .option("wait", {
            ...integerFlag("wait", {
              describe: "Keep retrying for up to this many seconds until every check passes (new secrets and grants take minutes)",
              min: 0,
              max: MAX_WAIT_SECONDS,
              unit: "seconds",
              example: 600,
            }),
            default: 0,
          })
          .option("wait-step-ms", {
            ...integerFlag("wait-step-ms", {
              describe: "First pause between --wait rounds in ms (doubles, at most 60 s)",
              min: 1,
              max: MAX_STEP_MS,
              unit: "milliseconds",
              example: 5000,
            }),
            default: 5_000,
          }),
        [
          { describe: "Check the connector configuration pulumi up wrote", lines: ["$0 verify --config out/acme.nexxt.json"] },
          {
            describe: "Right after pulumi up: wait up to 10 minutes for the grant to take effect",
            lines: ["NEXXT_CLIENT_SECRET=... $0 verify", "--tenant-id 3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c", "--client-id 0d9c7b4e-2f1a-4c3b-8e5d-6a7b8c9d0e1f --wait 600"],
          },
          { describe: "A GCC High tenant, JSON for a pipeline", lines: ["$0 verify --config out/acme.nexxt.json", "--cloud usgovernmentl4 --json"] },
        ],
      ),
    handler: async (flags) => {
      const io = ctx.io;
      const connection = graphConnectionFrom(flags, io.env, io.cwd);
      const expected = expectedPermissions(flags.permissions, connection.documentPermissions, DEFAULT_PERMISSIONS);
      const http = httpOptionsFrom(flags);
      const target = { ...connection, expectedPermissions: expected };

      ttyStatus(io, flags.json, `Signing in to tenant ${connection.tenantId}…`);
      const { checks, rounds, seconds } = await verifyWithWait(io, flags.json, target, http, flags.wait, flags.waitStepMs);

      const exitCode = verifyExitCode(checks);
      if (flags.json) {
        io.stdout(
          JSON.stringify(
            {
              ok: exitCode === 0,
              tenantId: connection.tenantId,
              clientId: connection.clientId,
              tokenEndpoint: connection.tokenEndpoint,
              graphRoot: connection.graphRoot,
              expectedPermissions: expected,
              rounds,
              checks,
            },
            null,
            2,
          ),
        );
      } else {
        io.stdout(`verify: application ${connection.clientId} in tenant ${connection.tenantId}, as Nexxt signs in at ${connection.tokenEndpoint}`);
        io.stdout(renderChecks(checks));
        if (rounds > 1) io.stdout(`(${plural(rounds, "round")} in ${seconds} s)`);
      }
      ctx.setExitCode(exitCode);
    },
  });
