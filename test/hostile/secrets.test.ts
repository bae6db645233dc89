/**
 * Class 1 of issue 11: no secret in any output, wherever the text came from. Hostile servers on
 * 127.0.0.1 echo what they were sent; canary secrets must not come out in any encoding.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tempProject } from "../support/tempProject";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { memoryIo } from "../../src/cli/io";
import { HostileServer, json, startHostile, text } from "./hostileServer";
import { APP, CANARY_NEXXT_TOKEN, CANARY_SECRET, TENANT, expectNoLeak, fakeFlags, startFakeMicrosoft, connectorDocument } from "./fakeMicrosoft";

let servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const keep = <T extends HostileServer>(server: T): T => (servers.push(server), server);

async function cli(args: string[], env: Record<string, string> = { NEXXT_CLIENT_SECRET: CANARY_SECRET }, cwd = process.cwd()) {
  const io = memoryIo({ env, cwd });
  const code = await run(args, io);
  return { code, output: [...io.out, ...io.err].join("\n") };
}

const users = (ids: string[]) => ({ value: ids.map((id) => ({ id, mail: `${id}@contoso.nl`, userPrincipalName: `${id}@contoso.nl`, accountEnabled: true })) });

describe("error bodies that echo the request never print a secret", () => {
  it("verify: an AADSTS description quoting client_secret raw, form-encoded and JSON-escaped", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (req, res) =>
          json(res, 401, {
            error: "invalid_client",
            error_description: `AADSTS7000215: Invalid client secret provided: ${CANARY_SECRET} (form: ${req.body}) ${JSON.stringify(CANARY_SECRET)}\r\nTrace ID: x`,
            error_codes: [7000215],
          }),
      ),
    );
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL {2}token/);
    expect(output).toContain("[redacted]");
    expectNoLeak(output, [CANARY_SECRET]);
  });

  it("verify --json: an HTML error page with the form-encoded request in it", async () => {
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (req, res) => text(res, 400, `${req.body}<html><title>Bad ${req.body}</title><body>${req.body}</body></html>`),
      ),
    );
    const { output } = await cli(["verify", "--json", ...fakeFlags(ms)]);
    expect(JSON.parse(output).checks[0].verdict).toBe("fail");
    expectNoLeak(output, [CANARY_SECRET]);
  });

  it("verify: a Graph 401 that echoes the bearer token", async () => {
    const ms = keep(
      await startFakeMicrosoft((req, res) => json(res, 401, { error: { code: "InvalidAuthenticationToken", message: `token ${req.headers.authorization} is bad` } })),
    );
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(ms.issued.length).toBeGreaterThan(0);
    expectNoLeak(output, [CANARY_SECRET, ...ms.issued]);
  });

  it("map-users --apply: a Nexxt 400 that echoes the bearer, with the token placed where a 300-character cut splits it", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res) => json(res, 200, users(["u-1"]))));
    const nexxt = keep(
      await startHostile((req, res) => {
        if (req.method === "GET") return json(res, 200, {});
        const bearer = String(req.headers.authorization).replace(/^Bearer /, "");
        json(res, 400, { message: `${"x".repeat(290)}${bearer} rejected` });
      }),
    );
    const dir = mkdtempSync(path.join(tmpdir(), "hostile-secrets-"));
    writeFileSync(path.join(dir, "users.csv"), "id,email\n101,u-1@contoso.nl\n");
    const { code, output } = await cli(
      ["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", "--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}")],
      { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN },
      dir,
    );
    expect(code).toBe(3);
    expectNoLeak(output, [CANARY_SECRET, CANARY_NEXXT_TOKEN]);
    // Not even the part before a cut.
    expect(output).not.toContain(CANARY_NEXXT_TOKEN.slice(0, 10));
  });
});

describe("partial and re-encoded echoes (issue 18)", () => {
  const secretOf = (body: string) => new URLSearchParams(body).get("client_secret") ?? "";
  const dotnetJson = (text: string) =>
    JSON.stringify(text)
      .slice(1, -1)
      .replace(/[+&<>']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);
  const echoes: [string, (secret: string, body: string) => string][] = [
    ["cut short by 3 characters at the end", (secret) => secret.slice(0, -3)],
    ["cut short by 3 characters at the start", (secret) => secret.slice(3)],
    ["a middle part of 20 characters", (secret) => secret.slice(10, 30)],
    ["percent-encoded twice", (secret) => encodeURIComponent(encodeURIComponent(secret))],
    ["the form body percent-encoded once more", (_secret, body) => encodeURIComponent(body)],
    ["decoded twice (form-decoded, then percent-decoded again)", (secret) => decodeURIComponent(secret)],
    ["base64 of the form body", (_secret, body) => Buffer.from(body).toString("base64")],
    ["JSON-escaped as .NET writes it (\\u002B, \\u0026)", (secret) => dotnetJson(secret)],
    ["base64 of the JSON-escaped secret, cut short", (secret) => Buffer.from(JSON.stringify(secret)).toString("base64").slice(0, -4)],
  ];

  it.each(echoes)("verify: a login server that echoes the client secret %s", async (_what, echo) => {
    const seen: string[] = [];
    const ms = keep(
      await startFakeMicrosoft(
        () => undefined,
        (req, res) => {
          const secret = secretOf(req.body);
          seen.push(echo(secret, req.body));
          json(res, 401, { error: "invalid_client", error_description: `AADSTS7000215: Invalid client secret provided: ${echo(secret, req.body)}` });
        },
      ),
    );
    const { code, output } = await cli(["verify", ...fakeFlags(ms)]);
    expect(code).toBe(1);
    expect(seen).toHaveLength(1);
    expect(output).toContain("[redacted]");
    expect(output).not.toContain(seen[0]);
    expectNoLeak(output, [CANARY_SECRET]);
  });

  it("map-users --apply: a Nexxt 400 that echoes the bearer cut short, percent-encoded twice and in base64", async () => {
    const ms = keep(await startFakeMicrosoft((_req, res) => json(res, 200, users(["u-1"]))));
    const echoed: string[] = [];
    const nexxt = keep(
      await startHostile((req, res) => {
        if (req.method === "GET") return json(res, 200, {});
        const bearer = String(req.headers.authorization).replace(/^Bearer /, "");
        const forms = [bearer.slice(0, -2), encodeURIComponent(encodeURIComponent(`Bearer ${bearer}`)), Buffer.from(`x:${bearer}`).toString("base64")];
        echoed.push(...forms);
        json(res, 400, { message: `rejected ${forms.join(" / ")}` });
      }),
    );
    const dir = mkdtempSync(path.join(tmpdir(), "hostile-partial-"));
    writeFileSync(path.join(dir, "users.csv"), "id,email\n101,u-1@contoso.nl\n");
    const { code, output } = await cli(
      ["map-users", ...fakeFlags(ms), "--nexxt-users", "users.csv", "--out", "mapping.csv", "--apply", "--nexxt-user-url", nexxt.url("/api/users/{id}")],
      { NEXXT_CLIENT_SECRET: CANARY_SECRET, NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN },
      dir,
    );
    expect(code).toBe(3);
    expect(echoed.length).toBeGreaterThan(0);
    for (const form of echoed) expect(output).not.toContain(form);
    expect(output).not.toContain(CANARY_NEXXT_TOKEN.slice(0, 20));
  });
});

describe("a secret given where a name belongs is never echoed", () => {
  it.each([
    [
      "verify --client-secret-env <the secret>",
      ["verify", "--tenant-id", TENANT, "--client-id", APP, "--client-secret-env", CANARY_SECRET],
      /the value of --client-secret-env is not a valid environment variable name/,
    ],
    [
      "map-users --api-token-env <the token>",
      [
        "map-users",
        "--tenant-id",
        TENANT,
        "--client-id",
        APP,
        "--nexxt-users",
        "u.csv",
        "--apply",
        "--nexxt-user-url",
        "https://pbx.example.nl/api/users/{id}",
        "--api-token-env",
        `${CANARY_NEXXT_TOKEN}/x`,
      ],
      /the value of --api-token-env is not a valid environment variable name/,
    ],
    ["a stray positional", ["verify", CANARY_SECRET, "--tenant-id", TENANT, "--client-id", APP], /does not take 1 value \(not shown: it may be a secret\)/],
  ])("%s", async (_what, args, message) => {
    const { code, output } = await cli(args);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expectNoLeak(output, [CANARY_SECRET, CANARY_NEXXT_TOKEN]);
  });

  it("a secret in the tenantId field of a connector file is not quoted in the 'not a GUID' message", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hostile-doc-"));
    const doc = {
      applicationId: APP,
      apiKey: "another-fake-key-000",
      oauth2TokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
      tenantId: CANARY_SECRET,
      companyId: "4711",
      secretExpiresAt: "2027-11-27T00:00:00Z",
      permissions: ["User.Read.All"],
    };
    writeFileSync(path.join(dir, "c.json"), JSON.stringify(doc));
    const { code, output } = await cli(["verify", "--config", "c.json"], {}, dir);
    expect(code).toBe(2);
    expect(output).toMatch(/field 'tenantId' is not a GUID/);
    expectNoLeak(output, [CANARY_SECRET]);
  });
});

describe("URLs with credentials are refused and never printed", () => {
  const stack = (apiUrl: string) =>
    [`config:`, `  nexxt:tenantId: ${TENANT}`, `  nexxt:companyId: "4711"`, `  nexxt:apiUrl: ${apiUrl}`, `  nexxt:apiToken:`, `    secure: AAABAHostileCipherText`, ""].join("\n");

  it.each([
    ["user:password@", "https://admin:pw-canary-0987@pbx.example.nl/api/office365", "pw-canary-0987"],
    ["a token in the query", "https://pbx.example.nl/api/office365?token=qs-canary-5678", "qs-canary-5678"],
  ])("plan and validate refuse nexxt:apiUrl with %s", async (_what, url, canary) => {
    const dir = tempProject();
    writeFileSync(path.join(dir, "stacks", "Pulumi.acme.yaml"), stack(url));
    const planned = await cli(["plan", "--stack", "acme"], {}, dir);
    const validated = await cli(["validate"], {}, dir);
    expect(planned.code).toBe(2);
    expect(validated.code).toBe(1);
    expect(planned.output + validated.output).toMatch(/nexxt:apiUrl/);
    expect(planned.output + validated.output).not.toContain(canary);
  });

  it("push-config to https://user:pw@host is refused before anything is sent (no Basic credentials)", async () => {
    const nexxt = keep(await startHostile((_req, res) => json(res, 200, { ok: true })));
    const dir = mkdtempSync(path.join(tmpdir(), "hostile-push-"));
    const doc = connectorDocument();
    writeFileSync(path.join(dir, "c.json"), JSON.stringify(doc));
    const url = nexxt.url("/api/office365").replace("http://", "http://admin:pw-canary-4321@");
    const { code, output } = await cli(["push-config", "--config", "c.json", "--api-url", url], { NEXXT_API_TOKEN: CANARY_NEXXT_TOKEN }, dir);
    expect(code).toBe(2);
    expect(output).toMatch(/user name or password/);
    expect(nexxt.requests).toHaveLength(0);
    expect(output).not.toContain("pw-canary-4321");
    expectNoLeak(output, [CANARY_SECRET, CANARY_NEXXT_TOKEN]);
  });
});
