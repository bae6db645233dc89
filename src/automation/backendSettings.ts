import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserError } from "../errors";

/**
 * Where the state lives and how its secrets are unlocked, for a run of the Pulumi CLI.
 *
 * - Backend: PULUMI_BACKEND_URL when set (the pipeline's, or a partner's Azure Blob); otherwise,
 *   when embedded defaults are allowed (`nexxt-onboard up` on an admin's machine), a local file
 *   backend inside the project (EMBEDDED_STATE_DIR, git-ignored).
 * - Passphrase: PULUMI_CONFIG_PASSPHRASE_FILE or PULUMI_CONFIG_PASSPHRASE when set; otherwise a
 *   file outside the repository, created once with a random passphrase, mode 0600. Only the file's
 *   name ever reaches the CLI (PULUMI_CONFIG_PASSPHRASE_FILE, pkg/secrets/passphrase/manager.go in
 *   pulumi/pulumi): the passphrase is never read by this code, never on a command line, never printed.
 */
export const EMBEDDED_STATE_DIR = ".pulumi-state";

export interface BackendSettings {
  backendUrl: string;
  /** True when the backend is the project's own folder (no PULUMI_BACKEND_URL). */
  embeddedBackend: boolean;
  /** The passphrase file handed to the CLI, unless the environment carries the passphrase itself. */
  passphraseFile?: string;
  /** Set when this run created the passphrase file: the user must be told to back it up. */
  createdPassphraseFile?: string;
  /** The variables the CLI runs with (added to the caller's environment). */
  env: Record<string, string>;
}

export interface BackendOptions {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** false in the pipeline: a missing backend or passphrase is an error, never a local default. */
  embeddedDefaults: boolean;
  /**
   * Reading the fleet (stack ls, stack export without secrets): no passphrase is needed or made,
   * and the embedded backend must already exist.
   */
  readOnly?: boolean;
  /**
   * false where a new passphrase is useless (destroying an existing stack: only the old one
   * decrypts its state); then a missing passphrase is an error.
   */
  mayCreatePassphrase?: boolean;
}

/** The passphrase file used when the environment names none: one per user, outside any repository. */
export function defaultPassphraseFile(env: NodeJS.ProcessEnv): string {
  const base =
    process.platform === "win32"
      ? (env.APPDATA ?? path.join(env.USERPROFILE ?? os.homedir(), "AppData", "Roaming"))
      : (env.XDG_CONFIG_HOME ?? path.join(env.HOME ?? os.homedir(), ".config"));
  return path.join(base, "nexxt-onboard", "pulumi-passphrase");
}

export function fileBackendUrl(dir: string): string {
  return `file://${dir.split(path.sep).join("/")}`;
}

export function resolveBackend(options: BackendOptions): BackendSettings {
  const { env } = options;
  const envBackend = env.PULUMI_BACKEND_URL?.trim();
  if (!envBackend && !options.embeddedDefaults) {
    throw new UserError("PULUMI_BACKEND_URL is not set; set it to the fleet's state backend (e.g. azblob://<container>) in the job's environment.");
  }
  const backendUrl = envBackend || fileBackendUrl(path.join(options.projectDir, EMBEDDED_STATE_DIR));
  const settings: BackendSettings = {
    backendUrl,
    embeddedBackend: !envBackend,
    env: {
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // A stack file checked out without its encryptionsalt (a runner, a fresh clone) uses the salt
      // the state recorded instead of making a new one that cannot decrypt it
      // (SecretsManagerLoader.FallbackToState, pkg/cmd/pulumi/stack/secrets.go in pulumi/pulumi).
      PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
    },
  };
  if (options.readOnly) {
    if (settings.embeddedBackend && !fs.existsSync(path.join(options.projectDir, EMBEDDED_STATE_DIR))) {
      throw new UserError(
        `PULUMI_BACKEND_URL is not set and this project has no ${EMBEDDED_STATE_DIR}/ (nothing was applied from here with \`bin/nexxt-onboard up\`); set PULUMI_BACKEND_URL to the fleet's state backend.`,
      );
    }
    return settings;
  }
  if (settings.embeddedBackend) fs.mkdirSync(path.join(options.projectDir, EMBEDDED_STATE_DIR), { recursive: true, mode: 0o700 });

  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    const file = path.resolve(options.projectDir, env.PULUMI_CONFIG_PASSPHRASE_FILE);
    requireReadableFile(file, "PULUMI_CONFIG_PASSPHRASE_FILE");
    settings.passphraseFile = file;
    settings.env.PULUMI_CONFIG_PASSPHRASE_FILE = file;
    return settings;
  }
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return settings;
  if (!options.embeddedDefaults) {
    throw new UserError("Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set; give the job the state's passphrase as an environment secret.");
  }
  const file = defaultPassphraseFile(env);
  if (isInside(file, options.projectDir)) {
    throw new UserError(`The passphrase file ${file} would be inside the project; set PULUMI_CONFIG_PASSPHRASE_FILE to a file outside it.`);
  }
  if (!fs.existsSync(file)) {
    if (options.mayCreatePassphrase === false) {
      throw new UserError(
        `No passphrase: PULUMI_CONFIG_PASSPHRASE_FILE is not set and ${file} does not exist; point PULUMI_CONFIG_PASSPHRASE_FILE at the passphrase this stack's state was made with.`,
      );
    }
    createPassphraseFile(file);
    settings.createdPassphraseFile = file;
  } else requireReadableFile(file, "the passphrase file");
  settings.passphraseFile = file;
  settings.env.PULUMI_CONFIG_PASSPHRASE_FILE = file;
  return settings;
}

/** 32 random bytes, written once: `wx` never replaces a passphrase that already exists. */
function createPassphraseFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    fs.writeSync(fd, crypto.randomBytes(32).toString("base64url") + "\n");
  } finally {
    fs.closeSync(fd);
  }
}

function requireReadableFile(file: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(`${what} ${file} does not exist; point PULUMI_CONFIG_PASSPHRASE_FILE at the file that holds the state's passphrase.`);
  }
  if (!stat.isFile()) throw new UserError(`${what} ${file} is not a regular file; point PULUMI_CONFIG_PASSPHRASE_FILE at the passphrase file.`);
  if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
    throw new UserError(`${what} ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\`.`);
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
