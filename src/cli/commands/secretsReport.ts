import * as fs from "node:fs";
import * as path from "node:path";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { WITHIN_FLAG } from "./withinFlag";
import { ExitCode } from "../../exitCodes";
import { HARMLESS, quoteRejected } from "../../util/redact";
import { UserError } from "../../errors";
import { parseConnectorDocument } from "../../nexxt/connectorDocument";
import { FILE_LIMITS, readBoundedFile } from "../../util/readBoundedFile";
import { findProjectRoot, fromCwd } from "../../stacks/projectRoot";
import { ReadResult, expiryReport, needsAttention, renderExpiryReport } from "../../report/expiryReport";

const DOCUMENT_SUFFIX = ".nexxt.json";
/** nexxt:connectorConfigDir's default, against the project root. */
const DEFAULT_CONNECTOR_DIR = "out";

export const secretsReportCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("dir", {
            type: "string",
            describe: "Directory of <stack>.nexxt.json connector configurations, relative to the current directory [default: out/ of the project around the current directory]",
          })
          .option("within", WITHIN_FLAG)
          .option("json", { type: "boolean", default: false, describe: "Print the rows as JSON" }),
        [
          { describe: "Every customer in out/, alert on expiry within 30 days", lines: ["$0 secrets-report"] },
          { describe: "For a scheduled pipeline", lines: ["$0 secrets-report --dir /srv/nexxt --within 45 --json"] },
        ],
      ),
    handler: async (argv) => {
      // As the stack commands find stacks/: without --dir, out/ of the project around the current
      // directory (where pulumi up writes by default), so the report works from src/ or docs/ too.
      const root = argv.dir === undefined ? findProjectRoot(ctx.io.cwd) : undefined;
      const dir = path.resolve(argv.dir === undefined ? (root ?? ctx.io.cwd) : ctx.io.cwd, argv.dir ?? DEFAULT_CONNECTOR_DIR);
      const shown = fromCwd(ctx.io.cwd, dir);
      const documents = readDocuments(dir, argv.dir ?? shown);
      // A scheduled alert that reads nothing must not pass: most likely --dir is not where the files are.
      if (documents.length === 0) {
        throw new UserError(
          `--dir ${argv.dir !== undefined ? quoteRejected(argv.dir, HARMLESS.path) : `'${shown}'`} holds no <stack>.nexxt.json connector configurations, so there is nothing to check; point --dir at the directory pulumi up writes them to (nexxt:connectorConfigDir, default out).`,
        );
      }
      const rows = expiryReport(documents, ctx.io.now(), argv.within);
      ctx.io.stdout(argv.json ? JSON.stringify({ within: argv.within, rows }, null, 2) : renderExpiryReport(rows, argv.within));
      ctx.setExitCode(needsAttention(rows) ? ExitCode.CheckFailed : ExitCode.Ok);
    },
  });

/** Every document in the directory; a file that cannot be read becomes a row, not a crash. */
function readDocuments(dir: string, given: string): ReadResult[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith(DOCUMENT_SUFFIX))
      .sort();
  } catch {
    throw new UserError(
      `--dir ${quoteRejected(given, HARMLESS.path)} is not a readable directory; point it at the connector configuration directory (nexxt:connectorConfigDir, default out).`,
    );
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    const stack = name.slice(0, -DOCUMENT_SUFFIX.length);
    try {
      // The message of a parse failure never quotes the file's content (it holds the secret).
      const text = readBoundedFile(file, {
        what: "the connector configuration",
        maxBytes: FILE_LIMITS.connectorDocument,
        allowSymlink: false,
        shownAs: name,
        hint: "keep only the files `pulumi up` wrote in this directory",
      });
      const document = parseConnectorDocument(parseJson(text), name);
      return { stack, file, document };
    } catch (err) {
      return { stack, file, problem: err instanceof UserError ? err.message : `cannot read ${name} (${(err as NodeJS.ErrnoException).code ?? "error"})` };
    }
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError("not valid JSON");
  }
}
