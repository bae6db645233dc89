import * as path from "node:path";
import { HARMLESS, quoteRejected } from "../util/redact";
import { UserError } from "../errors";
import { checkStackName, stackNameOfFile } from "./stackFile";

/**
 * The name new-customer is given, checked against what a user means and what already exists:
 * - a file name (`acme.yaml`, `Pulumi.acme.yaml`) is refused with the stack name it holds, not
 *   stripped silently: the user should see that the name is `acme`;
 * - a name that differs only in case from an existing stack is refused. The name is not
 *   lower-cased: Pulumi stack names are case-sensitive and `pulumi stack init` must get the name
 *   as typed, but Windows and macOS file systems cannot hold Pulumi.ACME.yaml beside Pulumi.acme.yaml.
 */
export function checkNewStackName(stack: string, existingStacks: readonly string[], stacksDir: string): void {
  const fileName = /\.ya?ml$/i.test(stack) ? (stackNameOfFile(stack) ?? stack.replace(/\.ya?ml$/i, "")) : undefined;
  if (fileName !== undefined) {
    throw new UserError(
      `${quoteRejected(stack, HARMLESS.path)} is a file name; new-customer takes the stack name and writes ${path.join(stacksDir, `Pulumi.<stack>.yaml`)} itself: use \`new-customer ${quoteRejected(fileName, HARMLESS.word, true)}\`.`,
    );
  }
  checkStackName(stack);
  const clash = existingStacks.find((existing) => existing !== stack && existing.toLowerCase() === stack.toLowerCase());
  if (clash !== undefined) {
    throw new UserError(
      `Stack '${stack}' differs only in case from the existing stack '${clash}' (${path.join(stacksDir, `Pulumi.${clash}.yaml`)}); Windows and macOS cannot hold both files: use '${clash}' (edit its file) or choose another name.`,
    );
  }
}
