import { existsSync } from "node:fs";
import * as path from "node:path";
import { UserError } from "../../errors";
import { BearerToken } from "../../util/bearerToken";
import { explainGraphError, explainLoginError } from "../../graph/failureExplanations";
import { GraphClient, GraphRequestError } from "../../graph/graphClient";
import { IssuedToken, TokenRequestError, requestClientCredentialsToken } from "../../graph/tokenClient";
import type { HttpClientOptions } from "../../http/sendWithRetry";
import { requireSecureUrl } from "../../http/urlPolicy";
import { FILE_LIMITS, readBoundedFile } from "../../util/readBoundedFile";
import { InputFile, checkOutputPath } from "../../util/outputPath";
import { HARMLESS, quoteRejected, redact } from "../../util/redact";
import { writeFileAtomic } from "../../util/atomicFile";
import { openAppendOnly } from "../../util/appendOnlyFile";
import { ApplyReport, applyMappings } from "../../users/applyMappings";
import { journalLine, pendingItems, planApply, readJournal } from "../../users/applyPlan";
import { readEntraDirectory } from "../../users/entraDirectory";
import { mappingCsvChunks, renderMappingCsv } from "../../users/mappingCsv";
import { NexxtUserApi } from "../../users/nexxtUserApi";
import { DEFAULT_COLUMN_CANDIDATES, openNexxtUserExport } from "../../users/nexxtUserExport";
import { EntraUserMatcher, MappingRow, summarizeMapping } from "../../users/userMatching";
import type { Options } from "yargs";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { FlagValues, integerFlag } from "../flagTypes";
import { ExitCode } from "../../exitCodes";
import type { CliIo } from "../io";
import { GraphConnection, GraphFlags, graphConnectionFrom, httpOptionsFrom, secretFromEnv, withGraphFlags } from "./graphFlags";
import { Progress, ttyProgress, ttyStatus } from "./ttyProgress";
import { plural, summaryWidth, wrapLine } from "../text";

/** What --apply did; `interrupted` names the signal (Ctrl-C is SIGINT) that stopped it early. */
type ApplyOutcome = ApplyReport & { doneEarlier: number; pending: number; journal: string; interrupted: NodeJS.Signals | undefined };

const columns = (role: keyof typeof DEFAULT_COLUMN_CANDIDATES) => DEFAULT_COLUMN_CANDIDATES[role].join(", ");

const MAP_USERS_OPTIONS = {
  "nexxt-users": { type: "string", demandOption: true, describe: "The Nexxt user export: CSV (, or ; separated, UTF-8 with or without BOM) or JSON" },
  "id-column": { type: "string", describe: `Column with the Nexxt user ID [default: the first of ${columns("id")}]` },
  "email-column": { type: "string", describe: `Column with the e-mail address [default: the first of ${columns("email")}]` },
  "name-column": { type: "string", describe: `Column with the name (optional) [default: the first of ${columns("name")}]` },
  out: { type: "string", describe: "Write the mapping CSV here (without it, the CSV goes to stdout)" },
  apply: { type: "boolean", default: false, describe: "Send the matches to Nexxt (without it: a dry run)" },
  "nexxt-user-url": { type: "string", describe: "Nexxt user URL with {id}, e.g. 'https://pbx.example.nl/api/users/{id}' (only with --apply)" },
  "nexxt-field": { type: "string", default: "externalApplicationId", describe: "The JSON field PATCHed with the object ID" },
  "api-token-env": { type: "string", default: "NEXXT_API_TOKEN", describe: "Environment variable holding the Nexxt API token" },
  concurrency: { ...integerFlag("concurrency", { describe: "Nexxt requests in flight at once (1-32)", min: 1, max: 32, unit: "requests", example: 4 }), default: 4 },
  "include-disabled": { type: "boolean", default: false, describe: "Also link users whose Entra account is disabled" },
  "overwrite-links": {
    type: "boolean",
    default: false,
    describe: "Replace an object ID Nexxt already holds for a user (without it: reported as a conflict and kept); the old value is kept in the journal and the mapping",
  },
  journal: { type: "string", describe: "Resume journal of --apply [default: next to --out, <name>.journal.jsonl]" },
} as const satisfies Record<string, Options>;

type MapUsersFlags = GraphFlags & FlagValues<typeof MAP_USERS_OPTIONS>;

/** Rows needing attention listed in the text summary; the CSV and --json hold them all. */
const LISTED_ROWS = 20;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export const mapUsersCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (y) =>
      withExamples(
        withGraphFlags(y)
          .options(MAP_USERS_OPTIONS)
          // A URL without --apply means the user meant to send: a silent dry run would leave them
          // believing the users are linked.
          .check((argv) => {
            if (argv["nexxt-user-url"] !== undefined && !argv.apply) {
              throw new UserError("--nexxt-user-url is only used with --apply; add --apply to send the links to Nexxt, or drop --nexxt-user-url for a dry run.");
            }
            return true;
          }),
        [
          { describe: "Match and write mapping.csv; nothing is sent to Nexxt", lines: ["$0 map-users --config out/acme.nexxt.json", "--nexxt-users users.csv --out mapping.csv"] },
          {
            describe: "Also set each match's external application ID in Nexxt (safe to re-run)",
            lines: [
              "NEXXT_API_TOKEN=... $0 map-users",
              "--config out/acme.nexxt.json --nexxt-users users.csv --out mapping.csv",
              "--apply",
              "--nexxt-user-url 'https://pbx.acme.nl/api/users/{id}'",
            ],
          },
          { describe: "The mapping and summary as JSON", lines: ["$0 map-users --config out/acme.nexxt.json", "--nexxt-users users.json --json"] },
        ],
      ),
    handler: async (flags) => {
      const io = ctx.io;
      const applyTarget = flags.apply ? checkApplyFlags(flags, io) : undefined;
      const connection = graphConnectionFrom(flags, io.env, io.cwd);
      // Every file this run will write is checked now, before a request is sent: a missing
      // directory must not fail after all of Entra was read, and no output may overwrite an input.
      const inputs: InputFile[] = [{ flag: "--nexxt-users", file: path.resolve(io.cwd, flags.nexxtUsers) }];
      if (flags.config !== undefined) inputs.push({ flag: "--config", file: path.resolve(io.cwd, flags.config) });
      const outPath = flags.out === undefined ? undefined : path.resolve(io.cwd, flags.out);
      if (outPath !== undefined) checkOutputPath("--out", outPath, inputs);
      const journalPath = applyTarget !== undefined ? journalPathOf(flags, io.cwd) : undefined;
      if (journalPath !== undefined) checkOutputPath("--journal", journalPath, outPath === undefined ? inputs : [...inputs, { flag: "--out", file: outPath }]);
      // Its header and columns are checked here, before anything is sent; its rows are read below.
      const nexxtExport = openNexxtUserExport(readInput(flags.nexxtUsers, io.cwd), flags.nexxtUsers, {
        id: flags.idColumn,
        email: flags.emailColumn,
        name: flags.nameColumn,
      });

      // The Entra pages are read while the export's rows are (a large export takes a few hundred
      // ms); pages wait for the matcher. The rows are read once the token is in: parsing while the
      // token request is out delayed the token, and every page after it, by ~80 ms. A refused export
      // stops the network work and its error (exit 2) wins, as when it was read first.
      const stop = new AbortController();
      const http = { ...httpOptionsFrom(flags), signal: stop.signal };
      ttyStatus(io, flags.json, `Signing in to tenant ${connection.tenantId}…`);
      const token = tokenFor(connection, http);
      token.catch(() => undefined);
      const matcherReady = token
        .then(noop, noop)
        .then(() => nexxtExport.read())
        .then((users) => EntraUserMatcher.inSlices(users));
      const progress = ttyProgress(io, flags.json, "reading Entra users | {value} read");
      const reading = readEntra(token, connection, http, matcherReady, progress);
      reading.catch(() => undefined);
      let matcher: EntraUserMatcher;
      try {
        matcher = await matcherReady;
      } catch (err) {
        stop.abort();
        throw err;
      }
      const graph = await reading;

      const rows = matcher.rows();
      if (outPath !== undefined) await writeMapping(outPath, rows);

      const items = planApply(rows, { includeDisabled: flags.includeDisabled });
      let apply: ApplyOutcome | undefined;
      if (applyTarget !== undefined && journalPath !== undefined) {
        // Ctrl-C or SIGTERM: no new user or request is started and the waits before retries end at
        // once (the HTTP layer gets the signal as stopRetries), then we say what was done and how to resume. Listening
        // stops at the first signal, so a second Ctrl-C ends the process at once.
        const interrupt = new AbortController();
        let signalled: NodeJS.Signals | undefined;
        // The attempt in flight finishes (its answer is journaled); no retry wait is sat out.
        const api = new NexxtUserApi(applyTarget.url, applyTarget.token, flags.nexxtField, { ...http, stopRetries: interrupt.signal });
        const where = { targetOf: (id: string) => api.urlOf(id), field: flags.nexxtField };
        const { pending, doneEarlier } = pendingItems(items, existsSync(journalPath) ? readJournal(readJournalFile(journalPath, flags)) : new Map(), where);
        // Opened now, checked on its descriptor: a link or FIFO planted since checkOutputPath is refused, not written through.
        const journal = openAppendOnly(journalPath, flags.journal ?? path.relative(io.cwd, journalPath), "--journal");
        const stopListening = io.onInterrupt?.((signal) => {
          signalled ??= signal;
          interrupt.abort();
          stopListening?.();
        });
        const sending = ttyProgress(io, flags.json, "linking Nexxt users {bar} {percentage}% {value}/{total} | {rate}/s | {eta_formatted} left");
        // Nothing left to send (a re-run): no bar counting 0 of 0.
        if (pending.length > 0) sending.start(pending.length);
        let report: ApplyReport;
        try {
          report = await applyMappings(pending, api, {
            concurrency: flags.concurrency,
            record: (entry) => journal.append(redact(journalLine({ ...entry, target: api.urlOf(entry.nexxtUserId), field: flags.nexxtField }))),
            onSettled: (done) => sending.update(done),
            now: () => io.now(),
            signal: interrupt.signal,
            overwriteLinks: flags.overwriteLinks,
          });
        } finally {
          stopListening?.();
          journal.close();
          if (pending.length > 0) sending.stop();
        }
        if (report.stoppedOnAuth !== undefined) {
          const { consecutive, status, notSent } = report.stoppedOnAuth;
          throw new UserError(
            `Nexxt refused the API token (HTTP ${status}) for ${consecutive} users in a row, so the other ${notSent} were not sent; check the token in ${flags.apiTokenEnv} and that it may write users, then run the same command again (users already linked are not sent twice).`,
            ExitCode.RemoteFailed,
          );
        }
        if (report.stoppedUnreadable !== undefined) {
          throw new UserError(
            `Nexxt does not answer GET for a user (HTTP 405 or 501), so a link set earlier (by hand, as the guide has people do) cannot be seen before it would be replaced; ${report.patched.length} were written before this was known, ${report.stoppedUnreadable.notSent} not sent. Check in Nexxt that no user holds an object ID you want to keep, then run the same command with --overwrite-links.`,
            ExitCode.InvalidInput,
          );
        }
        apply = {
          ...report,
          doneEarlier: doneEarlier.length,
          pending: pending.length,
          journal: journalPath,
          interrupted: interrupt.signal.aborted ? (signalled ?? "SIGINT") : undefined,
        };
        markApplied(rows, apply);
        // Again, now with the conflicts and the values replaced: the mapping says what to undo.
        if (outPath !== undefined && (apply.conflicts.length > 0 || apply.patched.some((item) => item.previous !== undefined))) await writeMapping(outPath, rows);
      }

      const summary = summarizeMapping(rows);
      const csv = flags.out === undefined ? renderMappingCsv(rows) : undefined;
      report(io, flags, rows, summary, csv, graph.requests, items.length, apply);
      if (matcher.withoutId > 0) {
        (flags.json || flags.out === undefined ? io.stderr : io.stdout)(
          `map-users: skipped ${plural(matcher.withoutId, "Entra user")} without an object ID (no usable id in Graph's answer): never matched, never sent.`,
        );
      }
      ctx.setExitCode(
        apply?.interrupted !== undefined
          ? apply.interrupted === "SIGTERM"
            ? ExitCode.Terminated
            : ExitCode.Interrupted
          : apply && apply.failed.length > 0
            ? ExitCode.RemoteFailed
            : summary.matched === summary.total
              ? ExitCode.Ok
              : ExitCode.CheckFailed,
      );
    },
  });

function checkApplyFlags(flags: MapUsersFlags, io: CliIo): { url: string; token: BearerToken } {
  if (flags.nexxtUserUrl === undefined) {
    throw new UserError("--apply needs --nexxt-user-url, the Nexxt user URL with {id}, e.g. --nexxt-user-url 'https://pbx.example.nl/api/users/{id}'.");
  }
  if (!flags.nexxtUserUrl.includes("{id}")) {
    throw new UserError(
      `--nexxt-user-url ${quoteRejected(flags.nexxtUserUrl, HARMLESS.url)} has no {id} placeholder; write where the Nexxt user ID goes, e.g. 'https://pbx.example.nl/api/users/{id}'.`,
    );
  }
  requireSecureUrl(flags.nexxtUserUrl, "--nexxt-user-url", "https://pbx.example.nl/api/users/{id}");
  if (!FIELD_NAME.test(flags.nexxtField)) {
    throw new UserError(
      `--nexxt-field ${quoteRejected(flags.nexxtField, HARMLESS.word)} is not a JSON field name; give the name Nexxt's API uses, e.g. --nexxt-field externalApplicationId.`,
    );
  }
  const token = secretFromEnv(io.env, flags.apiTokenEnv, "--api-token-env", "the Nexxt API token", "NEXXT_API_TOKEN");
  return { url: flags.nexxtUserUrl, token: new BearerToken(token) };
}

function readInput(file: string, cwd: string): string {
  return readBoundedFile(path.resolve(cwd, file), {
    what: "--nexxt-users",
    maxBytes: FILE_LIMITS.userExport,
    allowSymlink: true,
    shownAs: file,
    hint: "give the path of the Nexxt user export (CSV or JSON)",
  });
}

/** mapping.csv -> mapping.journal.jsonl beside it; .gitignore keeps *.journal.jsonl out of git. */
function journalPathOf(flags: MapUsersFlags, cwd: string): string {
  if (flags.journal !== undefined) return path.resolve(cwd, flags.journal);
  if (flags.out !== undefined) {
    const out = path.resolve(cwd, flags.out);
    return path.join(path.dirname(out), `${path.basename(out, path.extname(out))}.journal.jsonl`);
  }
  return path.resolve(cwd, "map-users.journal.jsonl");
}

async function tokenFor(connection: GraphConnection, http: ReturnType<typeof httpOptionsFrom>): Promise<IssuedToken> {
  try {
    return await requestClientCredentialsToken(connection, http);
  } catch (err) {
    if (!(err instanceof TokenRequestError)) throw err;
    const why = err.loginError ? explainLoginError(err.loginError) : undefined;
    throw new UserError(
      `Microsoft refused or did not answer the token request at ${connection.tokenEndpoint} (${err.message})${why ? `: ${why.cause}; fix: ${why.fix}` : ""}; run \`nexxt-onboard verify\` for every check.`,
      ExitCode.RemoteFailed,
    );
  }
}

const noop = () => undefined;

/** Every Entra page into the matcher once the token is in; resolves to the client, whose request count the report shows. */
async function readEntra(
  token: Promise<IssuedToken>,
  connection: GraphConnection,
  http: HttpClientOptions,
  matcherReady: Promise<EntraUserMatcher>,
  progress: Progress,
): Promise<GraphClient> {
  const issued = await token;
  const graph = new GraphClient(connection.graphRoot, issued.token, http);
  progress.start(0);
  try {
    await readEntraDirectory(graph, matcherReady, (count) => progress.update(count));
    return graph;
  } catch (err) {
    if (!(err instanceof GraphRequestError)) throw err;
    const why = explainGraphError(err.status, err.graphError, "users");
    throw new UserError(`Reading the Entra users failed (${err.message}): ${why.cause}; fix: ${why.fix}.`, ExitCode.RemoteFailed);
  } finally {
    progress.stop();
  }
}

function readJournalFile(file: string, flags: MapUsersFlags): string {
  return readBoundedFile(file, {
    what: "the resume journal",
    maxBytes: FILE_LIMITS.journal,
    allowSymlink: false,
    shownAs: flags.journal ?? file,
    hint: "remove it to start afresh (users already linked are then read back from Nexxt, not sent twice), or name another with --journal",
  });
}

/**
 * The mapping CSV, piece by piece (it never exists as one string), each piece through the
 * redactor; written new and renamed into place (src/util/atomicFile.ts), so a link or FIFO planted
 * at the path after checkOutputPath is replaced, never written through or waited on.
 */
async function writeMapping(file: string, rows: readonly MappingRow[]): Promise<void> {
  await writeFileAtomic(
    file,
    (function* () {
      for (const chunk of mappingCsvChunks(rows)) yield redact(chunk);
    })(),
    { mode: 0o644, directorySetting: "--out", directoryName: "The directory of --out" },
  );
}

/** What --apply found in Nexxt, on the rows: a kept value makes the row a conflict; a replaced one is kept for undoing. */
function markApplied(rows: MappingRow[], apply: ApplyOutcome): void {
  const held = new Map<string, { current: string; kept: boolean }>();
  for (const conflict of apply.conflicts) held.set(conflict.nexxtUserId, { current: conflict.current, kept: true });
  for (const item of apply.patched) if (item.previous !== undefined) held.set(item.nexxtUserId, { current: item.previous, kept: false });
  for (const row of rows) {
    const found = held.get(row.nexxtUserId);
    if (found === undefined) continue;
    row.nexxtHeld = found.current;
    if (found.kept) {
      row.status = "conflict";
      row.reason = "Nexxt already holds another object ID for this user, kept; check who is right, then link by hand or run again with --overwrite-links";
    }
  }
}

function report(
  io: CliIo,
  flags: MapUsersFlags,
  rows: MappingRow[],
  summary: ReturnType<typeof summarizeMapping>,
  csv: string | undefined,
  graphRequests: number,
  planned: number,
  apply: ApplyOutcome | undefined,
): void {
  if (flags.json) {
    io.stdout(
      JSON.stringify(
        {
          summary,
          graphRequests,
          out: flags.out ?? null,
          apply: apply
            ? {
                dryRun: false,
                planned,
                patched: apply.patched.length,
                alreadySet: apply.alreadySet.length,
                doneEarlier: apply.doneEarlier,
                failed: apply.failed,
                conflicts: apply.conflicts,
                replaced: apply.patched.filter((item) => item.previous !== undefined),
                journal: apply.journal,
                interrupted: apply.interrupted !== undefined,
                ...(apply.interrupted !== undefined ? { signal: apply.interrupted } : {}),
              }
            : { dryRun: true, planned },
          rows,
        },
        null,
        2,
      ),
    );
    return;
  }
  // With --out the CSV is in the file and stdout is free for the summary; without, stdout carries the CSV.
  const write = flags.out !== undefined ? io.stdout : io.stderr;
  // On a terminal laid out for 80 columns: long lines wrap between words, paths stay whole on a
  // line of their own. Piped, one line per sentence.
  const width = summaryWidth(write === io.stdout ? { isTerminal: io.columns !== undefined, columns: io.columns } : { isTerminal: io.isTTY });
  const say = (text: string, indent = 2) => write(wrapLine(text, width, indent).join("\n"));
  if (csv !== undefined) io.stdout(csv.trimEnd());
  say(
    `map-users: ${plural(summary.total, "Nexxt user")}: ${summary.matched} matched, ${summary.unmatched} unmatched, ${summary.ambiguous} ambiguous, ${summary.disabled} disabled${summary.notMember > 0 ? `, ${plural(summary.notMember, "guest or other non-member", "guests or other non-members")}` : ""}${summary.conflict > 0 ? `, ${plural(summary.conflict, "conflict")} (Nexxt holds another object ID, kept)` : ""}.`,
  );
  if (flags.out) say(`Mapping written to ${flags.out}.`);
  const attention = rows.filter((r) => r.status !== "matched");
  for (const row of attention.slice(0, LISTED_ROWS)) {
    const held = row.nexxtHeld !== "" ? ` (Nexxt holds ${row.nexxtHeld}; the match is ${row.externalApplicationId})` : "";
    say(
      `  ${row.status.padEnd(9)} ${row.nexxtUserId} ${row.email || "(no e-mail)"}: ${row.reason}${held}${row.candidates.length > 0 ? ` [${row.candidates.join(", ")}]` : ""}`,
      12,
    );
  }
  if (attention.length > LISTED_ROWS) say(`  ... and ${attention.length - LISTED_ROWS} more; every row is in the mapping CSV (or --json).`, 4);
  if (apply === undefined) {
    say(`Dry run: ${plural(planned, "user")} would be linked in Nexxt; add --apply --nexxt-user-url '<url with {id}>' to send them.`);
    return;
  }
  const linked = apply.doneEarlier + apply.patched.length + apply.alreadySet.length;
  if (apply.interrupted) {
    say(
      `interrupted (${apply.interrupted}): ${linked} linked, ${apply.failed.length} failed, ${apply.conflicts.length} kept as conflicts; run the same command to resume (${plural(apply.pending - apply.patched.length - apply.alreadySet.length - apply.failed.length - apply.conflicts.length, "user")} not sent yet).`,
    );
  } else if (apply.pending === 0) {
    say(`Nothing to send: ${plural(apply.doneEarlier, "user")} linked by an earlier run, none left.`);
  } else {
    const replaced = apply.patched.filter((item) => item.previous !== undefined).length;
    say(
      `Applied: ${apply.patched.length} updated${replaced > 0 ? ` (${replaced} replacing another object ID; the old values are in the journal and the mapping)` : ""}, ${apply.alreadySet.length} already right, ${apply.doneEarlier} done by an earlier run, ${apply.failed.length} failed${apply.conflicts.length > 0 ? `, ${apply.conflicts.length} not changed (conflicts)` : ""}.`,
    );
  }
  if (apply.conflicts.length > 0) {
    say(
      `Left as they were: ${plural(apply.conflicts.length, "Nexxt user")} holding another object ID (listed as conflict); check who is right, then link by hand, or run the same command with --overwrite-links to replace them (the old values are then kept in the journal and the mapping).`,
    );
  }
  const journal = path.relative(io.cwd, apply.journal);
  say(`Journal: ${journal.startsWith("..") || path.isAbsolute(journal) ? apply.journal : journal}`);
  for (const failure of apply.failed) say(`  failed    ${failure.nexxtUserId}: ${failure.error}`, 12);
  if (apply.failed.length > 0) say("Run the same command again to retry the failed users; users already linked are not sent again.");
}
