import * as fs from "node:fs";
import * as path from "node:path";
import { AZUREAD_REPLACE_RULES, sdkDeclarationFile } from "../support/lifecycle/replaceRules";

/**
 * The lifecycle engine's replace table against the installed SDK's own documentation: each
 * `<Type>Args` property whose doc comment says changing it forces a new resource. An SDK upgrade
 * that changes the set fails here, before the engine diffs by a stale table.
 */
const SDK_DIR = path.dirname(require.resolve("@pulumi/azuread/package.json"));

function documentedReplacingFields(file: string, typeName: string): string[] {
  const text = fs.readFileSync(path.join(SDK_DIR, file), "utf8");
  const start = text.indexOf(`export interface ${typeName}Args {`);
  if (start < 0) throw new Error(`${file}: no ${typeName}Args interface`);
  const body = text.slice(start, text.indexOf("\n}", start));
  const fields: string[] = [];
  for (const match of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??:/g)) {
    if (/Changing this (field )?forces a new resource to be created/.test(match[1])) fields.push(match[2]);
  }
  return fields.sort();
}

describe("the replace table (test/support/lifecycle/replaceRules.ts)", () => {
  for (const [type, rule] of Object.entries(AZUREAD_REPLACE_RULES)) {
    const file = sdkDeclarationFile(type);
    const typeName = type.split(":").pop()!;
    it(`${typeName}: replaces on exactly what ${file} documents${rule.undocumented ? ", plus the provider-source facts it cites" : ""}`, () => {
      const documented = documentedReplacingFields(file, typeName);
      const undocumented = Object.keys(rule.undocumented ?? {});
      expect([...rule.replaceOn].filter((f) => !undocumented.includes(f)).sort()).toEqual(documented);
      for (const field of undocumented) expect(documented).not.toContain(field);
    });
  }

  it("parses the phrase the SDK uses (not vacuous)", () => {
    expect(documentedReplacingFields("applicationPassword.d.ts", "ApplicationPassword")).toContain("endDate");
  });
});
