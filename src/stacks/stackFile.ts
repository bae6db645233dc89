import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { UserError } from "../errors";
import { isStackName } from "../identifiers";
import { ConfigError, ConfigProblem } from "../config/configProblem";
import { isSecureValue } from "../config/configValues";
import { CONFIG_KEYS, CONFIG_NAMESPACE, parseSettings } from "../config/schema";
import type { ConnectorSettings } from "../config/settings";

/** `stackConfigDir` in Pulumi.yaml: one Pulumi.<stack>.yaml per customer. */
export const STACKS_DIR = "stacks";

export function checkStackName(stack: string): void {
  if (!isStackName(stack)) {
    throw new UserError(
      `Stack name '${stack}' is not allowed; use letters, digits, '-', '_' or '.' (at most 100 characters), for example acme-bv.`,
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
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UserError(
      `There is no stack file for '${stack}' at ${path.relative(projectDir, file) || file}; create it with \`npx nexxt-onboard new-customer ${stack} --tenant-id <guid> --company-id <id>\` or copy stacks/Pulumi.example.yaml.`,
    );
  }
  return parseStackFileText(text, stack, path.relative(projectDir, file) || file);
}

export function parseStackFileText(text: string, stack: string, file: string): StackFile {
  let document: unknown;
  try {
    document = YAML.parse(text);
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
