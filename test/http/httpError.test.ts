import { displayUrl, serverMessage } from "../../src/http/httpError";
import { isLoopbackHost, requireSecureUrl } from "../../src/http/urlPolicy";
import { UserError } from "../../src/errors";

describe("displayUrl", () => {
  it("drops query, fragment and credentials, which may hold tokens", () => {
    expect(displayUrl("https://user:pw@pbx.example.nl/api/x?token=abc#frag")).toBe("https://pbx.example.nl/api/x");
  });
  it("does not echo a value that is not a URL", () => {
    expect(displayUrl("not a url token=abc")).toBe("<invalid URL>");
  });
});

describe("serverMessage", () => {
  it("reads Graph, login, generic JSON and text bodies", () => {
    expect(serverMessage({ error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } })).toBe("Authorization_RequestDenied: Insufficient privileges");
    expect(serverMessage({ error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret.\r\nTrace ID: x" })).toBe("AADSTS7000215: Invalid client secret.");
    expect(serverMessage({ message: "token expired" })).toBe("token expired");
    expect(serverMessage("  Not Found \n")).toBe("Not Found");
    expect(serverMessage("")).toBeUndefined();
    expect(serverMessage({ unrelated: 1 })).toBeUndefined();
  });
});

describe("requireSecureUrl", () => {
  it("accepts https anywhere and http only to loopback", () => {
    expect(requireSecureUrl("https://pbx.example.nl/a", "--api-url").hostname).toBe("pbx.example.nl");
    expect(requireSecureUrl("http://127.0.0.1:8080/a", "--api-url").port).toBe("8080");
    expect(requireSecureUrl("http://localhost/a", "--api-url").hostname).toBe("localhost");
    expect(isLoopbackHost("127.3.2.1")).toBe(true);
  });
  it("refuses plain http to another host, naming the setting", () => {
    expect(() => requireSecureUrl("http://pbx.example.nl/a", "--api-url")).toThrow(UserError);
    expect(() => requireSecureUrl("http://pbx.example.nl/a", "--api-url")).toThrow(/--api-url 'http:\/\/pbx.example.nl\/a' must use https/);
    expect(() => requireSecureUrl("ftp://127.0.0.1/a", "--api-url")).toThrow(/must use https/);
  });
  it("refuses something that is not a URL", () => {
    expect(() => requireSecureUrl("pbx.example.nl/api", "nexxt:apiUrl")).toThrow(/nexxt:apiUrl 'pbx.example.nl\/api' is not a URL/);
  });
});

describe("requireSecureUrl quotes the whole URL, never its credentials or query", () => {
  it.each([
    ["http://pbx.acme.nl/api/office365/connector", "'http://pbx.acme.nl/api/office365/connector' must use https"],
    ["http://pbx.acme.nl", "'http://pbx.acme.nl/' must use https"],
    // Credentials are refused before the scheme is judged, and neither is quoted.
    ["http://admin:FAKE-pass@pbx.acme.nl/api?token=FAKE-tok#x", "--api-url for pbx.acme.nl holds a user name or password"],
    ["http://pbx.acme.nl/users/{id}", "'http://pbx.acme.nl/users/{id}' must use https"],
  ])("%s", (value, message) => {
    let text = "";
    try {
      requireSecureUrl(value, "--api-url");
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text).toContain(message);
    expect(text).not.toMatch(/FAKE|admin/);
  });
});
