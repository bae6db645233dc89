import { DEFAULT_PERMISSIONS } from "../../catalogue/graphPermissions";
import { UserError } from "../../errors";
import { Check, allPassed, expectedPermissions, renderChecks, verifyExitCode } from "../../graph/verifyChecks";
import { runVerifyRound } from "../../graph/verifyRound";
import type { CommandFactory } from "../command";
import { GraphFlags, graphConnectionFrom, httpOptionsFrom, withGraphFlags } from "./graphFlags";
import { ttyProgress } from "./ttyProgress";

interface VerifyFlags extends GraphFlags {
  permissions?: string[];
  wait: number;
  waitStepMs: number;
}

/** The longest pause between two rounds of --wait. */
const MAX_STEP_MS = 60_000;

export const verifyCommand: CommandFactory = (ctx) => ({
  command: "verify",
  describe: "Prove that what Nexxt was given works: token, granted permissions, and Graph reads",
  builder: (y) =>
    withGraphFlags(y)
      .option("permissions", {
        type: "string",
        array: true,
        describe: "Expected Graph application permissions (comma or space separated) [default: the --config list, else User.Read.All Contacts.Read]",
        coerce: (values: string[]) => values.flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== ""),
      })
      .option("wait", { type: "number", default: 0, describe: "Keep retrying for up to this many seconds until every check passes (new secrets and grants take minutes)" })
      .option("wait-step-ms", { type: "number", default: 5_000, describe: "First pause between --wait rounds in ms (doubles, at most 60 s)" })
      .example("$0 verify --config out/contoso.nexxt.json", "Check the connector configuration pulumi up wrote")
      .example("NEXXT_CLIENT_SECRET=... $0 verify --tenant-id <tenant> --client-id <app> --wait 600", "Right after pulumi up: wait up to 10 minutes for the grant to take effect")
      .example("$0 verify --config contoso.json --cloud usgovernmentl4 --json", "A GCC High tenant, JSON for a pipeline"),
  handler: async (argv) => {
    const flags = argv as unknown as VerifyFlags;
    const io = ctx.io;
    if (!Number.isFinite(flags.wait) || flags.wait < 0) throw new UserError(`--wait '${flags.wait}' must be a number of seconds, 0 or more, e.g. --wait 600.`);
    if (!Number.isFinite(flags.waitStepMs) || flags.waitStepMs <= 0) throw new UserError(`--wait-step-ms '${flags.waitStepMs}' must be a positive number of milliseconds, e.g. --wait-step-ms 5000.`);
    const connection = graphConnectionFrom(flags, io.env, io.cwd);
    const expected = expectedPermissions(flags.permissions, connection.documentPermissions, DEFAULT_PERMISSIONS);
    const http = httpOptionsFrom(flags);
    const target = { ...connection, expectedPermissions: expected };

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
      if (rounds > 1) io.stdout(`(${rounds} rounds in ${Math.round((io.now().getTime() - started) / 1000)} s)`);
    }
    ctx.setExitCode(exitCode);
  },
});
