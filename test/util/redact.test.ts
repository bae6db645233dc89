import { REDACTED, clearSecretRegistry, redact, redactAndTruncate, redactDeep, redactSecrets, registerSecret } from "../../src/util/redact";
import { maskStrayValues, memoryIo, redactingIo } from "../../src/cli/io";
import { serverMessage } from "../../src/http/httpError";

describe("redactSecrets", () => {
  it("replaces every occurrence, longest secret first", () => {
    expect(redactSecrets("Bearer tok-123 and tok-123456 and tok-123", ["tok-123", "tok-123456"])).toBe("Bearer [redacted] and [redacted] and [redacted]");
  });
  it("ignores missing and very short values, which would garble the text", () => {
    expect(redactSecrets("a b c", [undefined, "", "a"])).toBe("a b c");
  });
});

describe("the process-wide registry", () => {
  const secret = "FAKE~reg+secret&x=1%2F y/not-real";
  beforeEach(() => clearSecretRegistry());

  it("masks a registered secret in every encoding a server can echo it in", () => {
    registerSecret(secret);
    const echoes = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(secret).slice(1, -1).replace(/\//g, "\\/"),
      secret.replace(/&/g, "&amp;"),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
    ];
    for (const echo of echoes) expect(redact(`before ${echo} after`)).toBe(`before ${REDACTED} after`);
  });

  it("redacts before it cuts, so a cut cannot leave the start of a secret", () => {
    registerSecret(secret);
    const text = `${"x".repeat(295)}${secret}`;
    expect(redactAndTruncate(text, 300)).toBe(`${"x".repeat(295)}[reda`);
    expect(serverMessage(text)).not.toContain(secret.slice(0, 5));
  });

  it("redacts every string of a parsed body, keys included, and keeps the shape", () => {
    registerSecret(secret);
    expect(redactDeep({ error: { message: `bad ${secret}` }, codes: [1, 2], [secret]: true })).toEqual({ error: { message: `bad ${REDACTED}` }, codes: [1, 2], [REDACTED]: true });
  });

  it("is applied by the CLI's io to everything a command writes", () => {
    registerSecret(secret);
    const io = memoryIo();
    const safe = redactingIo(io);
    safe.stdout(`json: ${JSON.stringify({ key: secret })}`);
    safe.stderr(`error: ${encodeURIComponent(secret)}`);
    expect([...io.out, ...io.err].join("\n")).not.toContain("reg+secret");
    expect(redactingIo(safe)).toBe(safe);
  });
});

describe("pieces of a secret", () => {
  // 40 characters like a Microsoft client secret.
  const secret = "Qx7~kP2vL9mN4rT8wZ1cB6yH3sD5fG0jA.uE_iO-";
  beforeEach(() => clearSecretRegistry());

  it("masks any piece of 12 characters or more, wherever it is cut", () => {
    registerSecret(secret);
    for (const piece of [secret.slice(0, 12), secret.slice(28), secret.slice(5, 25), secret.slice(0, -1)]) {
      expect(redact(`a ${piece} b`)).toBe(`a ${REDACTED} b`);
    }
  });

  it("leaves a piece of 11 characters, and ordinary text, as it is", () => {
    registerSecret(secret);
    expect(redact(`a ${secret.slice(3, 14)} b`)).toBe(`a ${secret.slice(3, 14)} b`);
    const ordinary = "verify: 5 checks passed for tenant 11111111-2222-3333-4444-555555555555 ============";
    expect(redact(ordinary)).toBe(ordinary);
  });

  it("masks a secret shorter than 16 characters only whole: its pieces would be ordinary words", () => {
    registerSecret("[secret]");
    registerSecret("tok-12345678901");
    expect(redact("x tok-12345678901 y [secret]")).toBe(`x ${REDACTED} y ${REDACTED}`);
    expect(redact("the secret of tok-1234567890")).toBe("the secret of tok-1234567890");
  });

  it("masks repeated encodings: percent-encoded twice, decoded twice, base64 inside a longer base64 text", () => {
    registerSecret("FAKE~reg+secret&x=1%2F y/not-real");
    const forms = [
      encodeURIComponent(encodeURIComponent("FAKE~reg+secret&x=1%2F y/not-real")),
      "FAKE~reg secret&x=1/ y/not-real",
      Buffer.from("user:FAKE~reg+secret&x=1%2F y/not-real").toString("base64"),
      Buffer.from("u:FAKE~reg+secret&x=1%2F y/not-real").toString("base64"),
      Buffer.from(encodeURIComponent("FAKE~reg+secret&x=1%2F y/not-real")).toString("base64"),
    ];
    for (const form of forms) expect(redact(form)).not.toMatch(/[A-Za-z0-9%+/~_&=-]{12,}/);
  });
});

describe("maskStrayValues", () => {
  it("names unknown flags but never quotes a bare value from the command line", () => {
    const argv = ["verify", "s3cr3t-pasted-value", "--bogus"];
    const masked = maskStrayValues("Unknown arguments: s3cr3t-pasted-value, bogus", argv);
    expect(masked).toBe("Unknown arguments: bogus, 1 unexpected value (not shown: it may be a secret; secrets go in environment variables, never on the command line)");
    expect(maskStrayValues("Missing required argument: x", argv)).toBe("Missing required argument: x");
  });
});
