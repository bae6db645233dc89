import { UserError } from "../../src/errors";
import { maskUrlCredentials, requireSecureUrl } from "../../src/http/urlPolicy";

describe("URLs with credentials", () => {
  it("masks user:password@ and every query value in a message", () => {
    expect(maskUrlCredentials("https://admin:pw-123@pbx.example.nl/api?token=abc&company=4711")).toBe("https://***@pbx.example.nl/api?token=***&company=***");
    expect(maskUrlCredentials("not a url")).toBe("not a url");
  });

  it.each([
    ["https://admin:pw-123@pbx.example.nl/api", /user name or password/],
    ["https://pbx.example.nl/api?access_token=abc", /credential in its query \(access_token\)/],
    ["http://u:p@127.0.0.1:8080/x", /user name or password/],
  ])("requireSecureUrl refuses %s without quoting the credential", (url, message) => {
    let error: unknown;
    try {
      requireSecureUrl(url, "--api-url");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/pw-123|abc|u:p/);
  });

  it("keeps a query without credentials", () => {
    expect(requireSecureUrl("https://pbx.example.nl/api?company=4711", "--api-url").search).toBe("?company=4711");
  });
});
