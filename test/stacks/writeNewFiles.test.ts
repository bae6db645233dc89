import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeNewFilesAllOrNothing } from "../../src/stacks/writeNewFiles";
import { userErrorOf } from "./userErrorOf";

describe("writeNewFilesAllOrNothing", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "nexxt-write-"));
  const file = (root: string, name: string) => ({ path: path.join(root, name), text: `${name}\n`, shownAs: name });

  it("writes every file, and leaves no temporary file behind", () => {
    const root = dir();
    writeNewFilesAllOrNothing([file(root, "Pulumi.a.yaml"), file(root, "Pulumi.b.yaml")]);
    expect(fs.readdirSync(root).sort()).toEqual(["Pulumi.a.yaml", "Pulumi.b.yaml"]);
    expect(fs.readFileSync(path.join(root, "Pulumi.b.yaml"), "utf8")).toBe("Pulumi.b.yaml\n");
  });

  it("keeps none of them when one name exists already, and never touches that file", () => {
    const root = dir();
    fs.writeFileSync(path.join(root, "Pulumi.b.yaml"), "someone else's\n");
    const message = userErrorOf(() => writeNewFilesAllOrNothing([file(root, "Pulumi.a.yaml"), file(root, "Pulumi.b.yaml"), file(root, "Pulumi.c.yaml")]));
    expect(message).toMatch(/Pulumi.b.yaml appeared while the list was written; nothing of the list was kept/);
    expect(fs.readdirSync(root)).toEqual(["Pulumi.b.yaml"]);
    expect(fs.readFileSync(path.join(root, "Pulumi.b.yaml"), "utf8")).toBe("someone else's\n");
  });
});
