import { ExitCode } from "../../src/exitCodes";
import { UserError } from "../../src/errors";
import { RetryInfo } from "../../src/http/sendWithRetry";
import { serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { deleteConnectorDocument, pushConnectorDocument, PushOptions } from "../../src/nexxt/pushClient";
import { FakeNexxt, recordingSleep, startFakeNexxt } from "../fakes/nexxtServer";
import { allText, CLIENT_SECRET, NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

describe("pushClient against a fake Nexxt on 127.0.0.1", () => {
  let nexxt: FakeNexxt | undefined;
  afterEach(async () => {
    await nexxt?.close();
    nexxt = undefined;
  });

  const document = sampleDocument();
  const fastOptions = (extra: PushOptions = {}): PushOptions => ({ timeoutMs: 2_000, retries: 3, baseDelayMs: 1, ...extra });

  /** Runs a call that must fail and returns its error, after checking no secret got out. */
  async function failure(call: Promise<unknown>, logged: string[] = []): Promise<UserError> {
    const error = await call.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const text = allText(error, ...logged);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(NEXXT_TOKEN);
    return error as UserError;
  }

  it("PUTs the serialized document with the bearer token and JSON content type", async () => {
    nexxt = await startFakeNexxt([{ status: 204 }]);
    const result = await pushConnectorDocument({ url: nexxt.url("/api/connectors/acme?v=1"), apiToken: NEXXT_TOKEN }, document, fastOptions());
    expect(result).toEqual({ url: nexxt.url("/api/connectors/acme"), status: 204, attempts: 1 });
    expect(nexxt.requests).toHaveLength(1);
    const [request] = nexxt.requests;
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("/api/connectors/acme?v=1");
    expect(request.headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toBe(serializeConnectorDocument(document));
    expect(JSON.parse(request.body)).toEqual(document);
  });

  it("retries a 500, then succeeds", async () => {
    nexxt = await startFakeNexxt([
      { status: 500, body: "restarting" },
      { status: 200, body: { ok: true } },
    ]);
    const retries: RetryInfo[] = [];
    const result = await pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions({ onRetry: (i) => retries.push(i) }));
    expect(result.attempts).toBe(2);
    expect(retries.map((r) => r.reason)).toEqual(["HTTP 500"]);
    expect(nexxt.requests.map((r) => r.body)).toEqual([serializeConnectorDocument(document), serializeConnectorDocument(document)]);
  });

  it("waits what a 429's Retry-After asks before trying again", async () => {
    nexxt = await startFakeNexxt([{ status: 429, body: { message: "slow down" }, headers: { "Retry-After": "3" } }]);
    const { sleep, waits } = recordingSleep();
    const result = await pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions({ sleep }));
    expect(result.attempts).toBe(2);
    expect(waits).toEqual([3_000]);
  });

  it.each([
    [401, { message: "invalid token" }, "invalid token", "check the API token (NEXXT_API_TOKEN)"],
    [404, "no such company", "no such company", "check the URL (--api-url)"],
  ])("fails a %i at once with the status and the server's message", async (status, body, serverText, hint) => {
    nexxt = await startFakeNexxt([{ status, body }]);
    const error = await failure(
      pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions({ urlSetting: "--api-url", tokenSetting: "NEXXT_API_TOKEN" })),
    );
    expect(error.message).toContain(`Nexxt did not accept the connector configuration: PUT ${nexxt.url()} failed with HTTP ${status}: ${serverText}; ${hint}`);
    expect(error.exitCode).toBe(ExitCode.RemoteFailed);
    expect(nexxt.requests).toHaveLength(1);
  });

  it("does not follow a redirect (the token would go along), and says to give the final address", async () => {
    nexxt = await startFakeNexxt([{ status: 301, headers: { Location: "https://elsewhere.example/steal" } }]);
    const error = await failure(pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions()));
    expect(error.message).toBe(
      `Nexxt did not accept the connector configuration: PUT ${nexxt.url()} failed with HTTP 301; give the final address in nexxt:apiUrl: redirects are not followed, so the token never goes elsewhere.`,
    );
    expect(nexxt.requests).toHaveLength(1);
  });

  it("redacts the token and the secret when the server echoes them in its error", async () => {
    nexxt = await startFakeNexxt([{ status: 400, body: { message: `bad request Bearer ${NEXXT_TOKEN} with apiKey ${CLIENT_SECRET}` } }]);
    const error = await failure(pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions()));
    expect(error.message).toContain("HTTP 400: bad request Bearer [redacted] with apiKey [redacted]");
  });

  it("times out a server that never answers, and says a re-run pushes again", async () => {
    nexxt = await startFakeNexxt([], { hang: true });
    const logged: string[] = [];
    const error = await failure(
      pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions({ timeoutMs: 150, retries: 1, onRetry: (i) => logged.push(JSON.stringify(i)) })),
      logged,
    );
    expect(error.message).toMatch(
      /^Nexxt did not accept the connector configuration: PUT http:\/\/127\.0\.0\.1:\d+\/api\/office365\/connector failed: no answer within 150 ms after 2 attempts; check that Nexxt is reachable, then run again/,
    );
    expect(nexxt.requests).toHaveLength(2);
  });

  it("survives a dropped connection", async () => {
    nexxt = await startFakeNexxt([{ drop: true }]);
    const result = await pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions());
    expect(result).toMatchObject({ status: 200, attempts: 2 });
  });

  it("gives up when the retries are exhausted", async () => {
    nexxt = await startFakeNexxt([], { status: 503, body: "maintenance" });
    const error = await failure(pushConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, document, fastOptions({ retries: 2 })));
    expect(error.message).toContain("failed with HTTP 503 after 3 attempts: maintenance");
    expect(nexxt.requests).toHaveLength(3);
  });

  it("refuses plain http to a remote host and a token with spaces before sending anything", async () => {
    const insecure = await failure(pushConnectorDocument({ url: "http://pbx.example.nl/api", apiToken: NEXXT_TOKEN }, document, { urlSetting: "nexxt:apiUrl" }));
    expect(insecure.message).toMatch(/^nexxt:apiUrl 'http:\/\/pbx.example.nl\/api' must use https/);
    expect(insecure.exitCode).toBe(ExitCode.InvalidInput);
    nexxt = await startFakeNexxt([]);
    const badToken = await failure(pushConnectorDocument({ url: nexxt.url(), apiToken: `${NEXXT_TOKEN}\n` }, document, { tokenSetting: "nexxt:apiToken" }));
    expect(badToken.message).toMatch(/^The Nexxt API token from nexxt:apiToken is empty or holds spaces or control characters/);
    expect(nexxt.requests).toHaveLength(0);
  });

  describe("deleteConnectorDocument", () => {
    it("DELETEs the same URL with the bearer token and no body", async () => {
      nexxt = await startFakeNexxt([{ status: 204 }]);
      const result = await deleteConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, fastOptions());
      expect(result).toEqual({ url: nexxt.url(), status: 204, attempts: 1, alreadyGone: false });
      expect(nexxt.requests[0]).toMatchObject({ method: "DELETE", url: "/api/office365/connector", body: "" });
      expect(nexxt.requests[0].headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
    });

    it.each([404, 410])("counts %i as already gone", async (status) => {
      nexxt = await startFakeNexxt([{ status, body: "not here" }]);
      const result = await deleteConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, fastOptions());
      expect(result).toMatchObject({ status, alreadyGone: true });
    });

    it("fails a 403 at once, naming URL and status", async () => {
      nexxt = await startFakeNexxt([{ status: 403, body: { message: "read-only token" } }]);
      const error = await failure(deleteConnectorDocument({ url: nexxt.url(), apiToken: NEXXT_TOKEN }, fastOptions()));
      expect(error.message).toBe(
        `Nexxt did not delete the connector configuration: DELETE ${nexxt.url()} failed with HTTP 403: read-only token; check the API token (nexxt:apiToken) and that it may write this configuration.`,
      );
    });
  });
});
