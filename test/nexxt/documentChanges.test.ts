import { changedDocumentFields } from "../../src/nexxt/documentChanges";
import { sampleDocument } from "../fakes/secrets";

describe("changedDocumentFields", () => {
  it("finds no change between equal documents whatever their key order", () => {
    const a = sampleDocument();
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    expect(changedDocumentFields(a, reordered)).toEqual([]);
  });

  it("names each changed field, never a value", () => {
    const changed = changedDocumentFields(sampleDocument(), sampleDocument({ apiKey: "new-secret", companyId: "9" }));
    expect(changed).toEqual(["apiKey", "companyId"]);
  });

  it("compares permissions element by element, order included", () => {
    expect(changedDocumentFields(sampleDocument(), sampleDocument({ permissions: ["Contacts.Read", "User.Read.All"] }))).toEqual(["permissions"]);
    expect(changedDocumentFields(sampleDocument(), sampleDocument({ permissions: ["User.Read.All"] }))).toEqual(["permissions"]);
  });

  it("counts a value Pulumi does not know yet (a placeholder string or missing object) as changed", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(changedDocumentFields(sampleDocument(), { ...sampleDocument(), apiKey: unknown })).toEqual(["apiKey"]);
    expect(changedDocumentFields(sampleDocument(), unknown)).toHaveLength(7);
    expect(changedDocumentFields(sampleDocument(), { ...sampleDocument(), permissions: unknown })).toEqual(["permissions"]);
  });
});
