import * as pulumi from "@pulumi/pulumi";
import { ConnectorFile } from "../../src/connector/sinks/connectorFile";
import { NexxtConfigPush } from "../../src/connector/sinks/nexxtPush";
import { CLIENT_SECRET, NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("ConnectorFile and NexxtConfigPush on the mock runtime", () => {
  const registered: Registered[] = [];
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          return { id: `${args.name}-id`, state: { ...args.inputs, connectorFilePath: "/x/acme.nexxt.json", status: 200 } };
        },
        call: (args) => {
          throw new Error(`unexpected invoke ${args.token}`);
        },
      },
      "nexxt",
      "acme",
      false,
    );
  });

  it("registers the file sink with the directory as configured, no machine path, and the document as a secret", async () => {
    const file = new ConnectorFile("acme-file", {
      directory: "out",
      stackName: "acme",
      document: sampleDocument(),
      handoff: "# hand-off",
    });
    expect(await pulumi.isSecret(file.document)).toBe(true);
    expect(await promiseOf(file.connectorFilePath)).toBe("/x/acme.nexxt.json");
    const seen = registered.find((r) => r.name === "acme-file")!;
    expect(seen.type).toBe("pulumi-nodejs:dynamic/nexxt:ConnectorFile");
    expect(seen.inputs.directory).toBe("out");
    // Issue 17, finding 6: another checkout (a laptop, then CI) would otherwise update it every time.
    expect(seen.inputs).not.toHaveProperty("projectRoot");
    expect(JSON.stringify(seen.inputs)).not.toContain(process.cwd());
    expect(seen.inputs.__provider).toEqual(expect.any(String));
    expect(String(seen.inputs.__provider)).not.toContain(CLIENT_SECRET);
  });

  it("registers the push with token and document as secrets, and retention off by default", async () => {
    const push = new NexxtConfigPush("acme-push", { url: "https://pbx.acme.nl/api/office365", apiToken: NEXXT_TOKEN, document: sampleDocument() });
    expect(await pulumi.isSecret(push.document)).toBe(true);
    expect(await pulumi.isSecret(push.apiToken)).toBe(true);
    expect(await pulumi.isSecret(push.url)).toBe(false);
    expect(await promiseOf(push.status)).toBe(200);
    const seen = registered.find((r) => r.name === "acme-push")!;
    expect(seen.type).toBe("pulumi-nodejs:dynamic/nexxt:NexxtConfigPush");
    expect(seen.inputs.retainOnDelete).toBe(false);
    const provider = String(seen.inputs.__provider);
    expect(provider).not.toContain(NEXXT_TOKEN);
    expect(provider).not.toContain(CLIENT_SECRET);
  });
});
