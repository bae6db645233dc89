import { startNexxtEmulator, CONNECTOR_PATH, NexxtEmulator } from "../../src/emulator/nexxtEmulator";
import { parseConnectorDocument, serializeConnectorDocument } from "../../src/nexxt/connectorDocument";
import { deleteConnectorDocument, pushConnectorDocument, PushOptions } from "../../src/nexxt/pushClient";
import { NexxtUserApi } from "../../src/users/nexxtUserApi";
import { BearerToken } from "../../src/util/bearerToken";
import { FakeNexxt, startFakeNexxt } from "../fakes/nexxtServer";
import { NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";
import { nexxtApi, response, schemaProblems } from "../support/openApi";

/**
 * docs/nexxt-api.openapi.yaml is the contract this project defines for Nexxt's side (no Nexxt API
 * for it is published). The client must send what it says and treat each documented answer as it
 * says; the stand-ins must answer as it says.
 */
const api = nexxtApi();
const connector = api.paths["/api/office365/connector"];
const user = api.paths["/users/{id}"];
const OBJECT_ID = "0f1e2d3c-4b5a-4697-8877-665544332211";
const statusesOf = (operation: { responses: Record<string, unknown> }) => Object.keys(operation.responses).map(Number);
const fast: PushOptions = { timeoutMs: 2_000, retries: 1, baseDelayMs: 1, sleep: async () => undefined };

let fake: FakeNexxt | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("the Nexxt API contract (docs/nexxt-api.openapi.yaml)", () => {
  it("is OpenAPI 3 with bearer auth on every operation, and the schema checker finds a broken document", () => {
    expect(api.openapi).toMatch(/^3\./);
    expect(api.security).toEqual([{ bearerAuth: [] }]);
    expect(api.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const body = connector.put.requestBody!.content["application/json"].schema;
    expect(schemaProblems(api, body, { ...sampleDocument(), applicationId: "nope", extra: 1 })).toEqual([
      expect.stringContaining("$.applicationId: does not match"),
      "$.extra: not in the contract",
    ]);
  });

  it("PUT: the client sends the documented body, headers and auth to the connector path", async () => {
    fake = await startFakeNexxt([{ status: 204 }]);
    await pushConnectorDocument({ url: fake.url(CONNECTOR_PATH), apiToken: NEXXT_TOKEN }, sampleDocument(), fast);
    const [request] = fake.requests;
    expect(request.method).toBe("PUT");
    expect(new URL(request.url, "http://x").pathname).toBe("/api/office365/connector");
    expect(request.headers.authorization).toBe(`Bearer ${NEXXT_TOKEN}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(Object.keys(connector.put.requestBody!.content)).toEqual(["application/json"]);
    expect(schemaProblems(api, connector.put.requestBody!.content["application/json"].schema, JSON.parse(request.body))).toEqual([]);
  });

  it.each(statusesOf(connector.put))("PUT answered %i: the client does what the contract says", async (status) => {
    const meaning = response(api, connector.put, status)!["x-nexxt-onboard-client"];
    fake = await startFakeNexxt([{ status, body: { message: "as documented" } }], { status: 204 });
    const pushed = pushConnectorDocument({ url: fake.url(), apiToken: NEXXT_TOKEN }, sampleDocument(), fast).then(
      () => "accepted",
      () => "failed",
    );
    const outcome = await pushed;
    if (meaning === "accepted") expect([outcome, fake.requests.length]).toEqual(["accepted", 1]);
    else if (meaning === "retried") expect([outcome, fake.requests.length]).toEqual(["accepted", 2]);
    else expect([meaning, outcome, fake.requests.length]).toEqual(["refused", "failed", 1]);
  });

  it.each(statusesOf(connector.delete))("DELETE answered %i: the client does what the contract says", async (status) => {
    const meaning = response(api, connector.delete, status)!["x-nexxt-onboard-client"];
    fake = await startFakeNexxt([{ status, body: { message: "as documented" } }], { status: 204 });
    const outcome = await deleteConnectorDocument({ url: fake.url(), apiToken: NEXXT_TOKEN }, fast).then(
      (result) => (result.alreadyGone ? "gone" : "accepted"),
      () => "failed",
    );
    expect(fake.requests[0].method).toBe("DELETE");
    if (meaning === "retried") expect([outcome, fake.requests.length]).toEqual(["accepted", 2]);
    else if (meaning === "refused") expect(outcome).toBe("failed");
    else expect([outcome, fake.requests.length]).toEqual([meaning, 1]);
  });

  it("PATCH: the client sends only the documented link field, with auth, to /users/{id}", async () => {
    fake = await startFakeNexxt([{ status: 204 }]);
    const users = new NexxtUserApi(fake.url("/users/{id}"), new BearerToken(NEXXT_TOKEN), "externalApplicationId", { timeoutMs: 2_000 });
    await users.write("u 42", OBJECT_ID);
    const [request] = fake.requests;
    expect([request.method, request.url, request.headers.authorization, request.headers["content-type"]]).toEqual([
      "PATCH",
      "/users/u%2042",
      `Bearer ${NEXXT_TOKEN}`,
      "application/json",
    ]);
    expect(schemaProblems(api, user.patch.requestBody!.content["application/json"].schema, JSON.parse(request.body))).toEqual([]);
  });

  it("GET answered 405 or 501 (documented as no-get): the client stops reading and writes blind", async () => {
    for (const status of [405, 501]) {
      expect(response(api, user.get, status)!["x-nexxt-onboard-client"]).toBe("no-get");
      fake = await startFakeNexxt([{ status }], { status: 204 });
      const users = new NexxtUserApi(fake.url("/users/{id}"), new BearerToken(NEXXT_TOKEN), "externalApplicationId", { timeoutMs: 2_000 });
      expect(await users.read("1")).toEqual({ known: false });
      expect(await users.read("2")).toEqual({ known: false });
      await users.write("2", OBJECT_ID);
      expect(fake.requests.map((r) => r.method)).toEqual(["GET", "PATCH"]);
      await fake.close();
      fake = undefined;
    }
  });

  describe("the Nexxt stand-in (src/emulator/nexxtEmulator.ts) answers as the contract says", () => {
    let nexxt: NexxtEmulator;
    beforeEach(async () => {
      nexxt = await startNexxtEmulator({ apiToken: NEXXT_TOKEN, users: { "42": { naam: "Jansen" } } });
    });
    afterEach(() => nexxt.close());

    const send = (path: string, method: string, body?: unknown, token = NEXXT_TOKEN) =>
      fetch(`${nexxt.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });

    it("PUT and DELETE of the connector configuration, with and without the token", async () => {
      const document = serializeConnectorDocument(sampleDocument());
      const answers = [
        [connector.put, (await send(CONNECTOR_PATH, "PUT", document)).status, "accepted"],
        [connector.put, (await send(CONNECTOR_PATH, "PUT", document)).status, "accepted"], // idempotent
        [connector.put, (await send(CONNECTOR_PATH, "PUT", document, "wrong")).status, "refused"],
        [connector.delete, (await send(CONNECTOR_PATH, "DELETE")).status, "accepted"],
      ] as const;
      for (const [operation, status, meaning] of answers) {
        expect(response(api, operation, status)?.["x-nexxt-onboard-client"] ?? `${status} undocumented`).toBe(meaning);
      }
      expect(nexxt.connectorDocument).toBeUndefined();
      expect(parseConnectorDocument(JSON.parse(document), "x")).toEqual(sampleDocument());
    });

    it("GET and PATCH of a user: documented statuses, and bodies that fit the User schema", async () => {
      const got = await send("/users/42", "GET");
      expect(response(api, user.get, got.status)?.["x-nexxt-onboard-client"]).toBe("accepted");
      expect(schemaProblems(api, user.get.responses["200"].content!["application/json"].schema, await got.json())).toEqual([]);
      const patched = await send("/users/42", "PATCH", { externalApplicationId: OBJECT_ID });
      expect(response(api, user.patch, patched.status)?.["x-nexxt-onboard-client"]).toBe("accepted");
      const after = (await patched.json()) as Record<string, unknown>;
      expect(schemaProblems(api, user.patch.responses["200"].content!["application/json"].schema, after)).toEqual([]);
      expect(after).toMatchObject({ naam: "Jansen", externalApplicationId: OBJECT_ID });
      for (const [path, method] of [
        ["/users/999", "GET"],
        ["/users/999", "PATCH"],
      ]) {
        const missing = await send(path, method, method === "PATCH" ? { externalApplicationId: OBJECT_ID } : undefined);
        expect(missing.status).toBe(404);
        expect(response(api, method === "GET" ? user.get : user.patch, 404)?.["x-nexxt-onboard-client"]).toBe("refused");
      }
      expect((await send("/users/42", "PATCH", { externalApplicationId: OBJECT_ID }, "wrong")).status).toBe(401);
    });
  });
});
