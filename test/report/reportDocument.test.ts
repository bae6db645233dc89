import { UserError } from "../../src/errors";
import { parseConnectorDocument } from "../../src/nexxt/connectorDocument";
import { reportDocumentFromOutputs } from "../../src/report/reportDocument";
import { CLIENT_SECRET } from "../fakes/secrets";

const OUTPUTS = {
  applicationId: "3f2c1a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
  tenantId: "3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c",
  tokenEndpoint: "https://login.microsoftonline.com/3f6a2c1e-8b4d-4e7a-9c2b-1d5e6f7a8b9c/oauth2/token",
  clientSecret: "[secret]",
  secretExpiresAt: "2027-11-27T00:00:00.000Z",
  nextRotationAt: "2027-05-26T00:00:00.000Z",
  servicePrincipalObjectId: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
  grantedPermissions: ["User.Read.All", "Contacts.Read"],
  companyId: "4711",
};

describe("reportDocumentFromOutputs", () => {
  it("maps masked stack outputs to a document secrets-report reads, keeping the mask", () => {
    const document = reportDocumentFromOutputs("acme", OUTPUTS);
    expect(parseConnectorDocument(document, "x")).toEqual({
      applicationId: OUTPUTS.applicationId,
      apiKey: "[secret]",
      oauth2TokenEndpoint: OUTPUTS.tokenEndpoint,
      tenantId: OUTPUTS.tenantId,
      companyId: "4711",
      secretExpiresAt: "2027-11-27T00:00:00.000Z",
      permissions: ["User.Read.All", "Contacts.Read"],
    });
  });

  it("refuses outputs whose secret is not masked, without quoting it", () => {
    let error: unknown;
    try {
      reportDocumentFromOutputs("acme", { ...OUTPUTS, clientSecret: CLIENT_SECRET });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/clientSecret is not masked.*without --show-secrets/);
    expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(CLIENT_SECRET);
  });

  it("refuses outputs of a stack that was never deployed", () => {
    expect(() => reportDocumentFromOutputs("acme", {})).toThrow(/clientSecret is not masked/);
    expect(() => reportDocumentFromOutputs("acme", { ...OUTPUTS, secretExpiresAt: undefined })).toThrow(/secretExpiresAt/);
    expect(() => reportDocumentFromOutputs("acme", undefined)).toThrow(/are not a JSON object/);
  });
});
