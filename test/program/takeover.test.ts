import * as fs from "node:fs";
import * as path from "node:path";
import { KEPT_APPLICATION_FIELDS, KEPT_SERVICE_PRINCIPAL_FIELDS, SET_APPLICATION_FIELDS, SET_SERVICE_PRINCIPAL_FIELDS } from "../../src/connector/takeover";

/**
 * Issue 17, finding 1: the inputs a taken-over registration keeps as found are every input the
 * installed SDK documents for the type, but the ones the program sets to what it found. An SDK
 * upgrade that adds an input (which the provider would clear when left out) fails here.
 */
const SDK_DIR = path.dirname(require.resolve("@pulumi/azuread/package.json"));

function argsFields(file: string, typeName: string): string[] {
  const text = fs.readFileSync(path.join(SDK_DIR, file), "utf8");
  const start = text.indexOf(`export interface ${typeName}Args {`);
  if (start < 0) throw new Error(`${file}: no ${typeName}Args interface`);
  return [...text.slice(start, text.indexOf("\n}", start)).matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]).sort();
}

describe("what a takeover keeps as found (src/connector/takeover.ts)", () => {
  it("the application: every ApplicationArgs input but the ones the program sets", () => {
    expect([...KEPT_APPLICATION_FIELDS, ...SET_APPLICATION_FIELDS].sort()).toEqual(argsFields("application.d.ts", "Application"));
  });

  it("the service principal: every ServicePrincipalArgs input but the ones the program sets", () => {
    expect([...KEPT_SERVICE_PRINCIPAL_FIELDS, ...SET_SERVICE_PRINCIPAL_FIELDS].sort()).toEqual(argsFields("servicePrincipal.d.ts", "ServicePrincipal"));
  });
});
