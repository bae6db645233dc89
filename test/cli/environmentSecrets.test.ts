import { registerEnvironmentSecrets } from "../../src/cli/environmentSecrets";
import { REDACTED, clearSecretRegistry, redact } from "../../src/util/redact";

describe("secrets the environment holds are registered before any flag is judged", () => {
  beforeEach(() => clearSecretRegistry());

  it("registers the default variables, those a --…-env flag names, and a proxy's password", () => {
    const env = {
      NEXXT_CLIENT_SECRET: "default-variable-secret-01",
      ACME_TOKEN: "named-by-flag-token-0002",
      ACME_SECRET: "named-with-equals-0003",
      UNRELATED: "not-named-anywhere-0004",
      HTTPS_PROXY: "http://partner:proxy-pass%40word-05@proxy.partner.nl:3128",
    };
    registerEnvironmentSecrets(env, ["map-users", "--api-token-env", "ACME_TOKEN", "--client-secret-env=ACME_SECRET"]);
    const text = Object.values(env).join(" ");
    expect(redact(text)).toBe(`${REDACTED} ${REDACTED} ${REDACTED} not-named-anywhere-0004 http://partner:${REDACTED}@proxy.partner.nl:3128`);
    expect(redact("proxy-pass@word-05")).toBe(REDACTED);
  });

  it("ignores a --…-env value that is not a variable name, and unset variables", () => {
    registerEnvironmentSecrets({}, ["verify", "--client-secret-env", "not a name!", "--api-token-env"]);
    expect(redact("not a name! NEXXT_API_TOKEN")).toBe("not a name! NEXXT_API_TOKEN");
  });
});
