import { backoffDelayMs, isRetryableNetworkCode, isRetryableStatus, parseRetryAfter, RetryPolicy } from "../../src/http/retryPolicy";

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("isRetryableStatus", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries HTTP %i", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });
  it.each([400, 401, 403, 404, 409, 410, 422])("fails HTTP %i at once", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("isRetryableNetworkCode", () => {
  it("retries transient network failures", () => {
    for (const code of ["ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "EAI_AGAIN"]) expect(isRetryableNetworkCode(code)).toBe(true);
  });
  it("does not retry certificate errors or unknown codes", () => {
    for (const code of ["DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_HAS_EXPIRED", "ERR_INVALID_URL", undefined]) {
      expect(isRetryableNetworkCode(code)).toBe(false);
    }
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2025-01-01T00:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP-date relative to now", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5_000);
  });
  it("treats a date in the past as no wait", () => {
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });
  it("ignores missing and malformed values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("doubles per attempt between half and the whole ceiling", () => {
    expect(backoffDelayMs(policy, 1, undefined, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, undefined, () => 1)).toBe(100);
    expect(backoffDelayMs(policy, 3, undefined, () => 0)).toBe(200);
    expect(backoffDelayMs(policy, 3, undefined, () => 1)).toBe(400);
  });
  it("never exceeds maxDelayMs", () => {
    expect(backoffDelayMs(policy, 10, undefined, () => 1)).toBe(1_000);
  });
  it("lets the server's Retry-After win, capped by maxDelayMs", () => {
    expect(backoffDelayMs(policy, 1, 300, () => 1)).toBe(300);
    expect(backoffDelayMs(policy, 1, 0, () => 1)).toBe(0);
    expect(backoffDelayMs(policy, 1, 60_000, () => 1)).toBe(1_000);
  });
});
