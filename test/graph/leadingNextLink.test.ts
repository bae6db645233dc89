import { leadingNextLink } from "../../src/graph/leadingNextLink";

const LINK = "https://graph.microsoft.com/v1.0/users?$top=999&$skiptoken=RFNwdAIAAQAAAD8";

describe("leadingNextLink", () => {
  it("reads the link Graph writes before the items, after @odata.context, without reading the items", () => {
    const text = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","@odata.nextLink":"${LINK}","value":[{"id":"1"},`; // cut off: never read
    expect(leadingNextLink(text)).toBe(LINK);
  });

  it("allows whitespace and decodes JSON escapes in the link", () => {
    const text = `{\n  "@odata.nextLink" : "https:\\/\\/graph.microsoft.com\\/v1.0\\/users?$top=2\\u0026$skiptoken=a%2Fb",\n  "value": []\n}`;
    expect(leadingNextLink(text)).toBe("https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=a%2Fb");
  });

  it.each([
    ["the link comes after the items", `{"@odata.context":"c","value":[],"@odata.nextLink":"${LINK}"}`],
    ["the last page has no link", `{"@odata.context":"c","value":[{"id":"1"}]}`],
    ["a member before the items is not a string", `{"@odata.count":5,"@odata.nextLink":"${LINK}","value":[]}`],
    ["the text is not an object", `[{"@odata.nextLink":"${LINK}"}]`],
    ["the text is empty", ""],
    ["the string is broken", `{"@odata.nextLink":"https://graph\\x.com","value":[]}`],
    ["a key has a raw control character", `{"@odata.\nnextLink":"${LINK}","value":[]}`],
  ])("answers undefined (parse in full) when %s", (_why, text) => {
    expect(leadingNextLink(text)).toBeUndefined();
  });
});
