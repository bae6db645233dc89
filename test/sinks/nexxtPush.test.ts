import { NexxtConfigPushInputs, NexxtConfigPushOutputs, NexxtConfigPushProvider } from "../../src/connector/sinks/nexxtPush";
import { serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { FakeNexxt, recordingSleep, startFakeNexxt } from "../fakes/nexxtServer";
import { allText, CLIENT_SECRET, NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

describe("NexxtConfigPushProvider against a fake Nexxt on 127.0.0.1", () => {
  let nexxt: FakeNexxt | undefined;
  let stderr: string[];
  let stderrSpy: jest.SpyInstance;
  beforeEach(() => {
    stderr = [];
    stderrSpy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void stderr.push(args.map(String).join(" ")));
  });
  afterEach(async () => {
    stderrSpy.mockRestore();
    await nexxt?.close();
    nexxt = undefined;
  });

  const tuning = recordingSleep();
  const provider = new NexxtConfigPushProvider({ baseDelayMs: 1, sleep: tuning.sleep });
  const inputs = (overrides: Partial<NexxtConfigPushInputs> = {}): NexxtConfigPushInputs => ({
    url: nexxt!.url(),
    apiToken: NEXXT_TOKEN,
    document: sampleDocument(),
    retainOnDelete: false,
    timeoutMs: 2_000,
    retries: 2,
    ...overrides,
  });
  const outputsOf = (given: NexxtConfigPushInputs): NexxtConfigPushOutputs => ({ ...given, status: 200 });

  /** A create/update/delete that must fail: returns the error after checking no secret got out. */
  async function failure(call: Promise<unknown>): Promise<Error> {
    const error = await call.then(
      () => new Error("expected a failure"),
      (e: Error) => e,
    );
    expect(error.message).not.toBe("expected a failure");
    const text = allText(error, ...stderr);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(NEXXT_TOKEN);
    return error;
  }

  it("create PUTs the document with the token and records the accepted status", async () => {
    nexxt = await startFakeNexxt([{ status: 201, body: { ok: true } }]);
    const result = await provider.create(inputs());
    expect(result.id).toBe(nexxt.url());
    expect(result.outs?.status).toBe(201);
    expect(nexxt.requests).toHaveLength(1);
    expect(nexxt.requests[0]).toMatchObject({ method: "PUT", url: "/api/office365/connector", body: serializeConnectorDocument(sampleDocument()) });
    expect(nexxt.requests[0].headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
    expect(nexxt.requests[0].headers["content-type"]).toBe("application/json");
  });

  it("create retries a 500 and a dropped connection, logging each retry without secrets", async () => {
    nexxt = await startFakeNexxt([{ status: 500, body: "oops" }, { drop: true }, { status: 200 }]);
    const result = await provider.create(inputs());
    expect(result.outs?.status).toBe(200);
    expect(nexxt.requests).toHaveLength(3);
    expect(stderr).toEqual([
      expect.stringMatching(/^Nexxt push: attempt 1 failed \(HTTP 500\); retrying in \d+ ms$/),
      expect.stringMatching(/^Nexxt push: attempt 2 failed \(ECONNRESET\); retrying in \d+ ms$/),
    ]);
    expect(stderr.join("\n")).not.toContain(NEXXT_TOKEN);
  });

  it("create honours a 429's Retry-After", async () => {
    nexxt = await startFakeNexxt([{ status: 429, headers: { "Retry-After": "4" } }]);
    tuning.waits.length = 0;
    await provider.create(inputs());
    expect(tuning.waits).toEqual([4_000]);
  });

  it.each([
    [401, { message: "token revoked" }, /HTTP 401: token revoked; check the API token \(nexxt:apiToken\)/],
    [404, "unknown company 4711", /HTTP 404: unknown company 4711; check the URL \(nexxt:apiUrl\)/],
  ])("create fails a %i at once so `pulumi up` fails, with status and message", async (status, body, expected) => {
    nexxt = await startFakeNexxt([{ status, body }]);
    const error = await failure(provider.create(inputs()));
    expect(error.message).toMatch(expected);
    expect(nexxt.requests).toHaveLength(1);
  });

  it("create times out a server that never answers", async () => {
    nexxt = await startFakeNexxt([], { hang: true });
    const error = await failure(provider.create(inputs({ timeoutMs: 150, retries: 1 })));
    expect(error.message).toMatch(/no answer within 150 ms after 2 attempts; check that Nexxt is reachable, then run again/);
  });

  it("create gives up when the retries are exhausted; a re-run pushes again", async () => {
    nexxt = await startFakeNexxt([{ status: 502 }, { status: 502 }, { status: 502 }]);
    const error = await failure(provider.create(inputs({ retries: 2 })));
    expect(error.message).toMatch(/HTTP 502 after 3 attempts/);
    const rerun = await provider.create(inputs());
    expect(rerun.outs?.status).toBe(200);
    expect(nexxt.requests).toHaveLength(4);
  });

  it("diff: a new URL replaces (delete first); a new document or token updates; same is no change", async () => {
    nexxt = await startFakeNexxt([]);
    const olds = outputsOf(inputs());
    expect(await provider.diff("id", olds, inputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff("id", olds, inputs({ url: nexxt.url("/other") }))).toEqual({ changes: true, replaces: ["url"], deleteBeforeReplace: true });
    expect(await provider.diff("id", olds, inputs({ document: sampleDocument({ apiKey: "rotated" }) }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await provider.diff("id", olds, inputs({ apiToken: "new-token-123" }))).changes).toBe(true);
    expect((await provider.diff("id", olds, inputs({ retainOnDelete: true }))).changes).toBe(true);
  });

  it("update PUTs the new document when the secret changed", async () => {
    nexxt = await startFakeNexxt([]);
    const rotated = sampleDocument({ apiKey: "rotated-secret-value" });
    const { outs } = await provider.update("id", outputsOf(inputs()), inputs({ document: rotated }));
    expect(outs?.document.apiKey).toBe("rotated-secret-value");
    expect(nexxt.requests.map((r) => [r.method, r.body])).toEqual([["PUT", serializeConnectorDocument(rotated)]]);
  });

  it("update sends nothing when only retention or timeouts changed", async () => {
    nexxt = await startFakeNexxt([]);
    const { outs } = await provider.update("id", outputsOf(inputs()), inputs({ retainOnDelete: true, timeoutMs: 5_000 }));
    expect(outs).toMatchObject({ retainOnDelete: true, timeoutMs: 5_000, status: 200 });
    expect(nexxt.requests).toHaveLength(0);
  });

  it("update that Nexxt refuses throws, so the old state (and the need to push) stays", async () => {
    nexxt = await startFakeNexxt([{ status: 422, body: { message: "companyId unknown" } }]);
    const error = await failure(provider.update("id", outputsOf(inputs()), inputs({ document: sampleDocument({ companyId: "9" }) })));
    expect(error.message).toMatch(/^Nexxt did not accept the connector configuration: PUT .* failed with HTTP 422: companyId unknown; Nexxt refused the request as sent/);
  });

  it("delete sends DELETE to the same URL with the token", async () => {
    nexxt = await startFakeNexxt([{ status: 204 }]);
    await provider.delete("id", outputsOf(inputs()));
    expect(nexxt.requests).toHaveLength(1);
    expect(nexxt.requests[0]).toMatchObject({ method: "DELETE", url: "/api/office365/connector", body: "" });
    expect(nexxt.requests[0].headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
  });

  it("delete counts 404 as already gone, and sends nothing when retained", async () => {
    nexxt = await startFakeNexxt([{ status: 404, body: "no such configuration" }]);
    await expect(provider.delete("id", outputsOf(inputs()))).resolves.toBeUndefined();
    await provider.delete("id", outputsOf(inputs({ retainOnDelete: true })));
    expect(nexxt.requests.map((r) => r.method)).toEqual(["DELETE"]);
  });

  it("delete that fails throws (the resource stays in the state), naming URL and status", async () => {
    nexxt = await startFakeNexxt([{ status: 401, body: { message: "expired" } }]);
    const error = await failure(provider.delete("id", outputsOf(inputs())));
    expect(error.message).toBe(
      `Nexxt did not delete the connector configuration: DELETE ${nexxt.url()} failed with HTTP 401: expired; check the API token (nexxt:apiToken) and that it may write this configuration.`,
    );
  });
});
