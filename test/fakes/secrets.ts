import type { ConnectorDocument } from "../../src/nexxt/connectorDocument";

/** Values shaped like the real ones, so a leak of either is easy to search for in any output. */
export const CLIENT_SECRET = "FAKE~test-secret-not-real.0123456789_xyz";
export const NEXXT_TOKEN = "nexxt-token-7f3a9c1e5b2d4f6a8c0e";

export function sampleDocument(overrides: Partial<ConnectorDocument> = {}): ConnectorDocument {
  return {
    applicationId: "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
    apiKey: CLIENT_SECRET,
    oauth2TokenEndpoint: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/token",
    tenantId: "11111111-2222-3333-4444-555555555555",
    companyId: "4711",
    secretExpiresAt: "2027-11-27T00:00:00.000Z",
    permissions: ["User.Read.All", "Contacts.Read"],
    ...overrides,
  };
}

/** Everything a failing call let out: messages, stacks and whatever the test captured. */
export function allText(...parts: unknown[]): string {
  return parts
    .map((part) => {
      if (part instanceof Error) return `${part.name} ${part.message} ${part.stack ?? ""} ${JSON.stringify(part)}`;
      return typeof part === "string" ? part : JSON.stringify(part);
    })
    .join("\n");
}
