import * as fs from "node:fs";
import * as path from "node:path";
import { AZUREAD_REPLACE_RULES, clearedWhenOmitted, sdkDeclarationFile } from "../support/lifecycle/replaceRules";

/**
 * The lifecycle engine's field table against the installed SDK: each `<Type>Args` property, and
 * the ones whose doc comment says changing it forces a new resource. An SDK upgrade that adds an
 * input or changes the replacing set fails here, before the engine diffs by a stale table.
 */
const SDK_DIR = path.dirname(require.resolve("@pulumi/azuread/package.json"));

function argsBody(file: string, typeName: string): string {
  const text = fs.readFileSync(path.join(SDK_DIR, file), "utf8");
  const start = text.indexOf(`export interface ${typeName}Args {`);
  if (start < 0) throw new Error(`${file}: no ${typeName}Args interface`);
  return text.slice(start, text.indexOf("\n}", start));
}

/** The inputs the SDK documents: the interface's own members (four spaces in), nested object types skipped. */
function documentedFields(file: string, typeName: string): string[] {
  return [...argsBody(file, typeName).matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]).sort();
}

function documentedReplacingFields(file: string, typeName: string): string[] {
  const fields: string[] = [];
  for (const match of argsBody(file, typeName).matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) {
    if (/Changing this (field )?forces a new resource to be created/.test(match[1])) fields.push(match[2]);
  }
  return fields.sort();
}

describe("the field table (test/support/lifecycle/replaceRules.ts)", () => {
  for (const [type, rule] of Object.entries(AZUREAD_REPLACE_RULES)) {
    const file = sdkDeclarationFile(type);
    const typeName = type.split(":").pop()!;
    it(`${typeName}: replaces on exactly what ${file} documents${rule.undocumented ? ", plus the provider-source facts it cites" : ""}`, () => {
      const documented = documentedReplacingFields(file, typeName);
      const undocumented = Object.keys(rule.undocumented ?? {});
      expect([...rule.replaceOn].filter((f) => !undocumented.includes(f)).sort()).toEqual(documented);
      for (const field of undocumented) expect(documented).not.toContain(field);
    });

    it(`${typeName}: says what leaving out each input ${file} documents means, and no other`, () => {
      expect(Object.keys(rule.fields).sort()).toEqual(documentedFields(file, typeName));
      for (const field of rule.replaceOn) expect(rule.fields).toHaveProperty(field);
    });
  }

  it("parses the SDK's phrases and members (not vacuous)", () => {
    expect(documentedReplacingFields("applicationPassword.d.ts", "ApplicationPassword")).toContain("endDate");
    expect(documentedFields("application.d.ts", "Application")).toEqual(expect.arrayContaining(["owners", "oauth2PostResponseRequired", "web"]));
    expect(documentedFields("application.d.ts", "Application")).not.toContain("redirectUris");
  });

  it("owners is cleared when left out, on applications and service principals (issue 17, finding 1)", () => {
    expect(clearedWhenOmitted("azuread:index/application:Application")).toContain("owners");
    expect(clearedWhenOmitted("azuread:index/servicePrincipal:ServicePrincipal")).toContain("owners");
  });
});
