import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parsePartnerConfig, readPartnerConfig } from "../../src/partner/partnerConfig";
import { userErrorOf } from "../stacks/userErrorOf";

const DEPLOY = "0d9c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const PREVIEW = "5b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const GOOD = `consentRedirectUri: https://www.partner.example/nexxt/consented\napps:\n  public:\n    deploy: ${DEPLOY.toUpperCase()}\n    preview: ${PREVIEW}\n  china:\n    deploy: ${PREVIEW.replace("5b1e", "6c2f")}\n`;

describe("partner.yaml", () => {
  it("gives the consent page and each cloud's apps, IDs lower-cased", () => {
    expect(parsePartnerConfig(GOOD, "partner.yaml")).toEqual({
      file: "partner.yaml",
      consentRedirectUri: "https://www.partner.example/nexxt/consented",
      apps: { public: { deploy: DEPLOY, preview: PREVIEW }, china: { deploy: "6c2f2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f" } },
    });
  });

  it.each([
    [GOOD.replace("deploy:", "deply:"), /apps.public has unknown key 'deply'/],
    [GOOD.replace("  china:", "  mars:"), /apps.mars is not a cloud/],
    [GOOD.replace(PREVIEW, DEPLOY), /apps.public.preview is the deploy app/],
    [GOOD.replace(PREVIEW, "preview-app"), /apps.public.preview 'preview-app' is not an Application \(client\) ID/],
    [GOOD.replace("https://www", "http://www"), /plain https address/],
    [`apps: {}\n`, /consentRedirectUri is missing/],
    [`consentRedirectUri: https://a.example/\napps: {}\napp: {}\n`, /unknown key 'app'/],
    [`consentRedirectUri: https://a.example/\napps:\n  public: {}\n`, /apps.public.deploy is missing/],
    [`consentRedirectUri: https://a.example/\nconsentRedirectUri: https://b.example/\napps: {}\n`, /is not valid YAML/],
  ])("refuses a file that would print a wrong or no link (%#)", (text, message) => {
    expect(userErrorOf(() => parsePartnerConfig(text, "partner.yaml"))).toMatch(message);
  });

  it("is optional, but never followed through a symlink", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-partner-"));
    expect(readPartnerConfig(root)).toBeUndefined();
    fs.symlinkSync("/etc/passwd", path.join(root, "partner.yaml"));
    expect(userErrorOf(() => readPartnerConfig(root))).toMatch(/partner.yaml is a symbolic link/);
    fs.unlinkSync(path.join(root, "partner.yaml"));
    fs.symlinkSync(path.join(root, "missing"), path.join(root, "partner.yaml"));
    expect(userErrorOf(() => readPartnerConfig(root))).toMatch(/partner.yaml is a symbolic link/);
  });
});
