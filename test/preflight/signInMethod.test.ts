import { UserError } from "../../src/errors";
import { chooseSignInMethod, describeSignIn } from "../../src/preflight/signInMethod";

const TENANT = "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c";
const CLIENT = "0d9c7b4e-2f1a-4c3b-8e5d-6a7b8c9d0e1f";
const SP = { ARM_TENANT_ID: TENANT, ARM_CLIENT_ID: CLIENT };

describe("chooseSignInMethod: the azuread provider's variables, in its order", () => {
  it("uses the Azure CLI login when nothing is set, with ARM_TENANT_ID's tenant when given", () => {
    expect(chooseSignInMethod({})).toEqual({ kind: "azure-cli", tenantId: undefined });
    expect(chooseSignInMethod({ ARM_TENANT_ID: TENANT })).toEqual({ kind: "azure-cli", tenantId: TENANT });
  });

  it("uses the client secret when tenant, client and secret are set, and never shows the secret", () => {
    const method = chooseSignInMethod({ ...SP, ARM_CLIENT_SECRET: "s3cret" });
    expect(method).toMatchObject({ kind: "client-secret", secret: { from: "env", name: "ARM_CLIENT_SECRET" } });
    expect(describeSignIn(method)).not.toContain("s3cret");
  });

  it("prefers the client secret over OIDC, as the provider does", () => {
    expect(chooseSignInMethod({ ...SP, ARM_CLIENT_SECRET: "s", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "t" }).kind).toBe("client-secret");
  });

  it("uses an OIDC token only with ARM_USE_OIDC (Go's booleans), from the variable before the file", () => {
    expect(chooseSignInMethod({ ...SP, ARM_OIDC_TOKEN: "t" }).kind).toBe("azure-cli");
    expect(chooseSignInMethod({ ...SP, ARM_USE_OIDC: "1", ARM_OIDC_TOKEN: "t", ARM_OIDC_TOKEN_FILE_PATH: "/f" })).toMatchObject({
      kind: "oidc-token",
      token: { name: "ARM_OIDC_TOKEN" },
    });
    expect(chooseSignInMethod({ ...SP, ARM_USE_OIDC: "True", ARM_OIDC_TOKEN_FILE_PATH: "/f" })).toMatchObject({ kind: "oidc-token", token: { from: "file", path: "/f" } });
  });

  it("asks GitHub Actions for the token with ARM_OIDC_REQUEST_* or GitHub's own ACTIONS_ID_TOKEN_REQUEST_*", () => {
    expect(chooseSignInMethod({ ...SP, ARM_USE_OIDC: "true", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh/x", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r" })).toMatchObject({
      kind: "github-oidc",
      requestUrl: "https://gh/x",
    });
    expect(
      chooseSignInMethod({ ...SP, ARM_USE_OIDC: "true", ARM_OIDC_REQUEST_URL: "https://a/x", ARM_OIDC_REQUEST_TOKEN: "r", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh/x" }),
    ).toMatchObject({
      requestUrl: "https://a/x",
    });
  });

  it.each([
    [{ ...SP, ARM_USE_OIDC: "yes" }, /ARM_USE_OIDC 'yes' is not a boolean/],
    [{ ...SP, ARM_USE_OIDC: "true" }, /no OIDC token/],
    [{ ARM_TENANT_ID: "contoso", ARM_CLIENT_ID: CLIENT }, /ARM_TENANT_ID 'contoso' is not a GUID/],
    [{ ...SP, ARM_CLIENT_CERTIFICATE_PATH: "/c.pfx" }, /client certificate, which preflight does not support/],
    [{ ARM_USE_MSI: "true" }, /managed identity/],
    [{ ARM_USE_CLI: "false" }, /ARM_USE_CLI is false/],
  ])("refuses %p in one sentence", (env, message) => {
    expect(() => chooseSignInMethod(env)).toThrow(UserError);
    expect(() => chooseSignInMethod(env)).toThrow(message);
  });
});
