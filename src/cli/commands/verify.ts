import { DEFAULT_PERMISSIONS } from "../../catalogue/graphPermissions";
import { Check, allPassed, expectedPermissions, renderChecks, verifyExitCode } from "../../graph/verifyChecks";
import { runVerifyRound } from "../../graph/verifyRound";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { integerFlag } from "../flagTypes";
import { graphConnectionFrom, httpOptionsFrom, withGraphFlags } from "./graphFlags";
import { ttyProgress, ttyStatus } from "./ttyProgress";
import { plural } from "../text";

/** The longest pause between two rounds of --wait. */
const MAX_STEP_MS = 60_000;
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
      const started = io.now().getTime();
      const deadline = started + flags.wait * 1000;
      const progress = ttyProgress(io, flags.json, "verify --wait {bar} {value}/{total} s | round {round}: {failing} failing");
      if (flags.wait > 0) progress.start(Math.round(flags.wait), { round: 1, failing: "?" });
      let rounds = 0;
      let checks: Check[];
      for (let step = flags.waitStepMs; ; step = Math.min(step * 2, MAX_STEP_MS)) {
        rounds++;
        checks = await runVerifyRound(target, http);
        const remaining = deadline - io.now().getTime();
        const failing = checks.filter((check) => check.verdict === "fail").length;
        progress.update(Math.min(Math.round((io.now().getTime() - started) / 1000), Math.round(flags.wait)), { round: rounds, failing });
        if (allPassed(checks) || remaining <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(step, remaining)));
      }
      progress.stop();

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
        if (rounds > 1) io.stdout(`(${plural(rounds, "round")} in ${Math.round((io.now().getTime() - started) / 1000)} s)`);
      }
      ctx.setExitCode(exitCode);
    },
  });
