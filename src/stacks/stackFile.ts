import * as fs from "node:fs";
import { HARMLESS, quoteRejected } from "../util/redact";
import * as path from "node:path";
import YAML from "yaml";
import { UserError } from "../errors";
import { isStackName } from "../identifiers";
import { ConfigError, ConfigProblem } from "../config/configProblem";
import { isSecureValue } from "../config/configValues";
import { CONFIG_KEYS, CONFIG_NAMESPACE, parseSettings } from "../config/schema";
import type { ConnectorSettings } from "../config/settings";
import { FILE_LIMITS, readBoundedFile } from "../util/readBoundedFile";

/** `stackConfigDir` in Pulumi.yaml: one Pulumi.<stack>.yaml per customer. */
export const STACKS_DIR = "stacks";

export function checkStackName(stack: string): void {
  if (!isStackName(stack)) {
    throw new UserError(
      `Stack name ${quoteRejected(stack, HARMLESS.path)} is not allowed; use letters, digits, '-', '_' or '.' (at most 100 characters), for example acme-bv.`,
    );
  }
}

/** `stacksDir` is relative to `projectDir` (or absolute). */
export function stackFilePath(projectDir: string, stack: string, stacksDir: string = STACKS_DIR): string {
  return path.join(path.resolve(projectDir, stacksDir), `Pulumi.${stack}.yaml`);
}

/** The stack name a stack file is for, or undefined for files that are not stack files. */
export function stackNameOfFile(fileName: string): string | undefined {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(fileName));
  return match ? match[1] : undefined;
}

export interface StackFile {
  stack: string;
  file: string;
  /** The `config:` map as written: native YAML values, `secure:` objects for secrets. */
  config: Record<string, unknown>;
  /** Full keys whose values are `secure:` (encrypted) in the file. */
  secretKeys: string[];
}

/** Reads stacks/Pulumi.<stack>.yaml; its name in messages is relative to `projectDir`. */
export function readStackFile(projectDir: string, stack: string, stacksDir: string = STACKS_DIR): StackFile {
  checkStackName(stack);
  const file = stackFilePath(projectDir, stack, stacksDir);
  const shown = path.relative(projectDir, file) || file;
  if (!fs.existsSync(file) && !isSymlink(file)) {
    // The name as typed may be a secret pasted in the wrong place: shown, and put in the example
    // command, only when quoteRejected lets it through.
    const quoted = quoteRejected(stack, HARMLESS.word);
    const name = quoted.startsWith("'") ? stack : "<stack>";
    throw new UserError(
      `There is no stack file for ${quoted} at ${quoteRejected(shown, HARMLESS.path, true)}; create it with \`bin/nexxt-onboard new-customer ${name} --tenant-id <guid> --company-id <id>\` or copy stacks/Pulumi.example.yaml.`,
    );
  }
  return parseStackFileText(readStackFileText(file, shown), stack, shown);
}

/**
 * A stack file's text through the bounded reader. A symlink is refused: the pull request shows
 * the link, not what Pulumi would read through it, so the review would not see the config.
 */
export function readStackFileText(file: string, shown: string): string {
  return readBoundedFile(file, {
    what: "the stack file",
    maxBytes: FILE_LIMITS.stackFile,
    allowSymlink: false,
    shownAs: shown,
    hint: `stack files must be regular files in the repository (replace ${path.basename(shown)} by the file itself)`,
  });
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function parseStackFileText(text: string, stack: string, file: string): StackFile {
  let document: unknown;
  try {
    document = parseYamlKeepingNumbers(text);
  } catch (err) {
    const where = err instanceof YAML.YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : "";
    throw new UserError(`${file} is not valid YAML${where}; fix the indentation or quoting there (compare stacks/Pulumi.example.yaml).`);
  }
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UserError(`${file}: 'config' must be a map of keys such as nexxt:tenantId to values (compare stacks/Pulumi.example.yaml).`);
  }
  const entries = config as Record<string, unknown>;
  return { stack, file, config: entries, secretKeys: Object.keys(entries).filter((key) => isSecureValue(entries[key])) };
}

/**
 * YAML, with every number read as the text it was written as: YAML turns `companyId: 0012` into 12
 * and `0x1F` into 31, while Pulumi hands the program the text as written ("0012"), so plan and
 * validate would judge a value the program never sees. Booleans and nulls stay as they are.
 */
function parseYamlKeepingNumbers(text: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "number" || typeof node.value === "bigint") node.value = node.source ?? String(node.value);
    },
  });
  return doc.toJS();
}

/**
 * Validates a stack file's `nexxt:` config with the program's own parser, plus what only the file
 * can show: a secret key written in clear text.
 */
export function settingsOfStackFile(stackFile: StackFile): ConnectorSettings {
  const clearSecrets: ConfigProblem[] = CONFIG_KEYS.filter((spec) => spec.secret)
    .map((spec) => `${CONFIG_NAMESPACE}:${spec.key}`)
    .filter((key) => stackFile.config[key] !== undefined && !isSecureValue(stackFile.config[key]))
    .map((key) => ({
      key,
      message: `${key} is stored in clear text in the stack file; remove it and set it with \`pulumi config set --secret ${key} --stack ${stackFile.stack}\` so it is encrypted.`,
    }));
  try {
    const settings = parseSettings(stackFile.config, stackFile.file);
    if (clearSecrets.length > 0) throw new ConfigError(clearSecrets, stackFile.file);
    return settings;
  } catch (err) {
    if (err instanceof ConfigError && clearSecrets.length > 0 && err.problems !== clearSecrets) {
      throw new ConfigError([...clearSecrets, ...err.problems], stackFile.file);
    }
    throw err;
  }
}
