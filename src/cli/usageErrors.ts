import { closestMatch } from "../config/suggest";
import { UserError } from "../errors";
import { HARMLESS, quoteRejected } from "../util/redact";

/** A command line the parser refused (unknown flag, bad value, missing flag): exit 2, nothing ran. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Turns yargs' terse usage messages into sentences that say what to type instead. Pure: it gets
 * the message, the argv as typed and the flags the command knows. It builds its sentences from
 * flag names only, never from values: `--client-secret <value>` must not print the value.
 */

/** Flags people try for a secret, and the flag that names the environment variable instead. */
const SECRET_FLAGS: Readonly<Record<string, string>> = {
  "client-secret": "client-secret-env",
  secret: "client-secret-env",
  "api-token": "api-token-env",
  token: "api-token-env",
  "nexxt-api-token": "api-token-env",
  "nexxt-token": "api-token-env",
};

const SECRET_VARIABLE_EXAMPLE: Readonly<Record<string, string>> = {
  "client-secret-env": "NEXXT_CLIENT_SECRET",
  "api-token-env": "NEXXT_API_TOKEN",
};

export interface UsageContext {
  /** The command being run, e.g. "verify", or undefined at the top level. */
  command: string | undefined;
  /** argv as typed. */
  argv: readonly string[];
  /** The flags this command accepts, kebab-case, without dashes. */
  knownFlags: readonly string[];
  /** What the user types to run the tool: "bin/nexxt-onboard". */
  scriptName: string;
  /** The command's template as registered, with its arguments: "new-customer <stack>". */
  template?: string;
}

/** One sentence per problem, or undefined to keep yargs' own message. */
export function explainUsageError(message: string, ctx: UsageContext): string | undefined {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) return explainUnknown(unknown[1].split(", "), ctx);
  // yargs reports a missing required flag before an unknown one, but `--stak x` is the cause of
  // "--stack is required": name the typo first.
  const typos = typedFlags(ctx).filter((flag) => !ctx.knownFlags.includes(flag) && !ctx.knownFlags.includes(flag.replace(/^no-/, "")));
  if (typos.length > 0 && ctx.command !== undefined) return typos.map((flag) => explainFlag(flag, ctx)).join(" ");
  const command = /^Did you mean (\S+)\?$/.exec(message);
  if (command) return `${quoteRejected(ctx.command, HARMLESS.word)} is not a command; did you mean ${command[1]}? (\`${ctx.scriptName} --help\` lists them all)`;
  if (/^Not enough non-option arguments/.test(message) && ctx.command !== undefined) {
    const wanted = (ctx.template ?? ctx.command).split(" ").slice(1);
    return `${ctx.command} needs ${wanted.length > 0 ? wanted.join(" ") : "an argument"} before its flags: \`${ctx.scriptName} ${ctx.template ?? ctx.command} [options]\`; \`${helpCommand(ctx)}\` shows an example.`;
  }
  const missingValue = /^Not enough arguments following: (\S+)$/.exec(message);
  if (missingValue) return `--${missingValue[1]} needs a value; see \`${helpCommand(ctx)}\`.`;
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) {
    const flags = missing[1].split(", ").map((name) => `--${name}`);
    return `${flags.join(" and ")} ${flags.length === 1 ? "is" : "are"} required here; see \`${helpCommand(ctx)}\` for what to give.`;
  }
  return undefined;
}

function explainUnknown(names: string[], ctx: UsageContext): string {
  const typed = new Set(typedFlags(ctx));
  // yargs lists a flag both as typed and camelCased (client-secret, clientSecret): keep the typed one.
  const flags = names.filter((name) => typed.has(name));
  const values = names.filter((name) => !typed.has(name) && !flags.some((flag) => camel(flag) === name));
  const sentences = flags.map((flag) => explainFlag(flag, ctx));
  if (values.length > 0) {
    // A stray value is quoted only when it cannot be a secret pasted in the wrong place (a short
    // word, a typo of a command): quoteRejected decides, as for every refused value.
    const quoted = values.map((value) => quoteRejected(value, HARMLESS.word));
    const what = quoted.every((text) => text.startsWith("'")) ? quoted.join(", ") : `${values.length} value${values.length === 1 ? "" : "s"} (not shown: it may be a secret)`;
    sentences.push(`${ctx.command ?? "nexxt-onboard"} does not take ${what} here; flags start with --, see \`${helpCommand(ctx)}\`.`);
  }
  return sentences.join(" ");
}

function explainFlag(flag: string, ctx: UsageContext): string {
  const where = ctx.command ? `a flag of ${ctx.command}` : "a flag here";
  const envFlag = SECRET_FLAGS[flag.toLowerCase()];
  if (envFlag !== undefined) {
    const variable = SECRET_VARIABLE_EXAMPLE[envFlag];
    const name = ctx.knownFlags.includes(envFlag) ? `--${envFlag}` : "the command's --…-env flag";
    return `--${flag} is not ${where}: secrets never go on the command line (shell history and process lists keep them); put it in an environment variable such as ${variable} and name that variable with ${name} (default ${variable}).`;
  }
  const suggestion = closestMatch(
    flag,
    ctx.knownFlags.filter((known) => known !== "version" || ctx.command === undefined),
  );
  return suggestion !== undefined ? `--${flag} is not ${where}; did you mean --${suggestion}?` : `--${flag} is not ${where}; see \`${helpCommand(ctx)}\` for the flags it takes.`;
}

/** The flags as typed, without dashes or `=value`; a lone "-" or "--" is not a flag. */
function typedFlags(ctx: UsageContext): string[] {
  return ctx.argv.filter((arg) => /^--?[^-\d]/.test(arg)).map((arg) => arg.replace(/^-+/, "").split("=")[0]);
}

function helpCommand(ctx: UsageContext): string {
  return `${ctx.scriptName}${ctx.command ? ` ${ctx.command}` : ""} --help`;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
