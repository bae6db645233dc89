import { explainGraphError, explainLoginError } from "../../src/graph/failureExplanations";
import { parseGraphError } from "../../src/graph/graphError";
import { parseLoginError } from "../../src/graph/loginError";

const aadsts = (code: number, error = "invalid_client") => ({
  error,
  error_description: `AADSTS${code}: Something went wrong.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2024-05-14 05:28:32Z`,
  error_codes: [code],
  timestamp: "2024-05-14 05:28:32Z",
  trace_id: "0000aaaa-11bb-cccc-dd22-eeeeee333333",
  correlation_id: "aaaa0000-bb11-2222-33cc-444444dddddd",
  error_uri: `https://login.microsoftonline.com/error?code=${code}`,
});

describe("parseLoginError", () => {
  it("reads the AADSTS body fields and keeps only the description's first line", () => {
    expect(parseLoginError(aadsts(7000215))).toEqual({
      error: "invalid_client",
      codes: [7000215],
      description: "AADSTS7000215: Something went wrong.",
      traceId: "0000aaaa-11bb-cccc-dd22-eeeeee333333",
      correlationId: "aaaa0000-bb11-2222-33cc-444444dddddd",
      timestamp: "2024-05-14 05:28:32Z",
    });
  });

  it("falls back to the AADSTS prefix of the description when error_codes is missing", () => {
    expect(parseLoginError({ error: "invalid_request", error_description: "AADSTS90002: Tenant 'x' not found." })?.codes).toEqual([90002]);
  });

  it("is undefined for bodies that are not login errors", () => {
    expect(parseLoginError("<html>")).toBeUndefined();
    expect(parseLoginError({ error: { code: "x" } })).toBeUndefined();
  });
});

describe("explainLoginError", () => {
  it.each([
    [7000215, /secret is wrong/, /Value, not its Secret ID/],
    [7000222, /expired/, /new client secret/],
    [700016, /no application with this client ID/, /client\) ID and the tenant ID/],
    [90002, /tenant was not found/, /--cloud/],
    [50034, /no such account/, /tenant ID/],
    [500011, /resource \(Microsoft Graph\) was not found/, /--cloud/],
    [7000218, /no client secret/, /--client-secret-env/],
    [7000229, /no service principal/, /admin consent/],
    [90038, /another national cloud/, /--cloud/],
    [53003, /Conditional Access/, /exclude this application/],
  ])("translates AADSTS%s", (code, cause, fix) => {
    const explanation = explainLoginError(parseLoginError(aadsts(code))!);
    expect(explanation.cause).toMatch(cause);
    expect(explanation.fix).toMatch(fix);
  });

  it("passes an unknown code through with Microsoft's own text and the lookup link", () => {
    const explanation = explainLoginError(parseLoginError(aadsts(123456))!);
    expect(explanation.cause).toContain("AADSTS123456: Something went wrong.");
    expect(explanation.fix).toContain("https://login.microsoftonline.com/error?code=123456");
  });
});

describe("Graph errors", () => {
  const body = (code: string, message: string) => ({
    error: { code, message, innerError: { date: "2024-01-01T00:00:00", "request-id": "r-1", "client-request-id": "c-1" } },
  });

  it("parses the error object and its innerError", () => {
    expect(parseGraphError(body("Authorization_RequestDenied", "Insufficient privileges to complete the operation."))).toEqual({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
      requestId: "r-1",
      date: "2024-01-01T00:00:00",
    });
    expect(parseGraphError({ error: "invalid_client" })).toBeUndefined();
  });

  it("reads 403 Authorization_RequestDenied as missing consent for the probe's permission", () => {
    const users = explainGraphError(403, parseGraphError(body("Authorization_RequestDenied", "x")), "users");
    expect(users.cause).toMatch(/consent for User\.Read\.All is missing/);
    const contacts = explainGraphError(403, parseGraphError(body("ErrorAccessDenied", "Access is denied.")), "contacts");
    expect(contacts.cause).toMatch(/Contacts\.Read/);
    expect(contacts.fix).toMatch(/--wait/);
  });

  it("reads 401 as a token Graph does not accept, and 404 on contacts as a user without mailbox", () => {
    expect(explainGraphError(401, parseGraphError(body("InvalidAuthenticationToken", "Access token validation failure.")), "users").cause).toMatch(/did not accept the token/);
    expect(explainGraphError(404, parseGraphError(body("MailboxNotEnabledForRESTAPI", "x")), "contacts").cause).toMatch(/no mailbox/);
  });
});
