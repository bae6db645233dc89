import { registerSecret } from "../util/redact";

/**
 * The variables that hold secrets by this tool's defaults (`--client-secret-env`,
 * `--api-token-env`) and by Pulumi's (the state passphrase, the service token).
 */
const DEFAULT_SECRET_VARIABLES: readonly string[] = ["NEXXT_CLIENT_SECRET", "NEXXT_API_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN"];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Registers with the redactor every secret the environment holds for this run, before any flag
 * is judged: a secret pasted where an ID, a URL or a name belongs is then masked in whatever
 * message quotes it, by yargs or by us. The variables are the defaults above and every one a
 * `--…-env` flag names on this command line (read from argv as typed, since yargs has not run).
 */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv, argv: readonly string[]): void {
  const names = new Set(DEFAULT_SECRET_VARIABLES);
  argv.forEach((arg, index) => {
    const flag = /^--[a-z][a-z-]*-env(?:=(.*))?$/.exec(arg);
    if (flag === null) return;
    const name = flag[1] ?? argv[index + 1];
    if (name !== undefined && ENV_NAME.test(name)) names.add(name);
  });
  for (const name of names) registerSecret(env[name]);
  // A proxy's login travels in its URL (http://user:password@proxy:3128): the password is a secret too.
  for (const name of PROXY_VARIABLES) {
    try {
      const password = new URL(env[name] ?? "").password;
      registerSecret(password === "" ? undefined : decodeURIComponent(password));
      registerSecret(password);
    } catch {
      // Not a URL: there is no password in it to hide.
    }
  }
}

const PROXY_VARIABLES: readonly string[] = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];
