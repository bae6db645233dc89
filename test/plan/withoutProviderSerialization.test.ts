import * as pulumi from "@pulumi/pulumi";
import * as closure from "@pulumi/pulumi/runtime/closure/serializeClosure";
import { ConnectorFile } from "../../src/connector/sinks/connectorFile";
import { NexxtConfigPush } from "../../src/connector/sinks/nexxtPush";
import { NOT_SERIALIZED, withoutProviderSerialization } from "../../src/plan/withoutProviderSerialization";
import { NEXXT_TOKEN, sampleDocument } from "../fakes/secrets";

type Writable = { serializeFunction: typeof closure.serializeFunction };

/** What the mock monitor was handed as each dynamic resource's `__provider`, by name. */
const providerText = new Map<string, string>();

function whenRegistered(output: pulumi.Output<unknown>): Promise<unknown> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("the offline plan's stand-in for Pulumi's closure serializer", () => {
  const real = closure.serializeFunction;
  const spy = jest.fn(real);

  beforeAll(async () => {
    // Counts the calls that reach the SDK's serializer, however the SDK reaches it.
    (closure as Writable).serializeFunction = spy;
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          providerText.set(args.name, String(args.inputs.__provider));
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
  afterAll(() => {
    (closure as Writable).serializeFunction = real;
  });

  it("reaches both of the program's dynamic resources, so the serializer is never called while the plan runs", async () => {
    await withoutProviderSerialization(async () => {
      const file = new ConnectorFile("plan-file", { directory: "out", stackName: "acme", document: sampleDocument(), handoff: "# hand-off" });
      const push = new NexxtConfigPush("plan-push", { url: "https://pbx.acme.nl/api/office365", apiToken: NEXXT_TOKEN, document: sampleDocument() });
      await Promise.all([whenRegistered(file.connectorFilePath), whenRegistered(push.status)]);
    });
    expect(spy).not.toHaveBeenCalled();
    expect(providerText.get("plan-file")).toBe(NOT_SERIALIZED);
    expect(providerText.get("plan-push")).toBe(NOT_SERIALIZED);
  });

  it("puts the serializer back afterwards, also when the work fails, so everything else serializes as ever", async () => {
    await expect(
      withoutProviderSerialization(() => {
        throw new Error("the program failed");
      }),
    ).rejects.toThrow("the program failed");
    expect(closure.serializeFunction).toBe(spy);

    const file = new ConnectorFile("real-file", { directory: "out", stackName: "acme", document: sampleDocument(), handoff: "# hand-off" });
    await whenRegistered(file.connectorFilePath);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(providerText.get("real-file")).toContain("exports.handler");
  });
});
