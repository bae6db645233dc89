import YAML, { Scalar, YAMLMap } from "yaml";
import { CONFIG_KEYS, CONFIG_NAMESPACE, ConfigKeySpec } from "../config/schema";
import { SHARED_TENANT_MARKER } from "./sharedTenantMarker";
import { UserError } from "../errors";
import { hasControlCharacters } from "../identifiers";

export interface StackFileContent {
  stack: string;
  /** The `config:` map, in the order it is written. */
  config: Record<string, unknown>;
  /** Writes the shared-tenant marker (see sharedTenantMarker.ts). */
  sharedTenant: boolean;
  /** The day the file is written, for the header. */
  writtenOn: Date;
}

const SPEC_OF_KEY = new Map(CONFIG_KEYS.map((spec) => [`${CONFIG_NAMESPACE}:${spec.key}`, spec]));

/**
 * The text of a new `stacks/Pulumi.<stack>.yaml`. A reviewer reads it in a pull request, so every
 * written key carries its meaning as a YAML comment, and every key left at its default is listed,
 * commented out, with the default it gets: nothing the stack does is hidden.
 */
export function renderStackFile(content: StackFileContent): string {
  // A line break in a value would be written as a block scalar whose lines a reader (and
  // hasSharedTenantMarker) could take for comments: refused here too, whatever the caller checked.
  for (const [key, value] of Object.entries(content.config)) {
    if (typeof value === "string" && hasControlCharacters(value)) throw new UserError(`${key} holds a line break or another control character; give the value on one line.`);
  }
  if (hasControlCharacters(content.stack)) throw new UserError("The stack name holds a control character; use letters, digits, '-', '_' or '.'.");
  const doc = new YAML.Document({ config: content.config });
  doc.commentBefore = header(content).map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
  const map = doc.get("config", true) as YAMLMap<Scalar<string>, unknown>;
  map.items.forEach((pair, index) => {
    // A date stays text in every YAML reader (YAML 1.1 readers would make it a timestamp).
    if (pair.key.value === `${CONFIG_NAMESPACE}:rotationStart` && pair.value instanceof Scalar) pair.value.type = Scalar.QUOTE_DOUBLE;
    pair.key.commentBefore = ` ${describeWritten(pair.key.value)}`;
    if (index > 0) pair.key.spaceBefore = true;
  });
  const hints = hintLines(content);
  if (hints.length > 0) map.comment = hints.map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
  return doc.toString({ lineWidth: 0 });
}

function header(content: StackFileContent): string[] {
  const lines = [
    `Customer stack '${content.stack}' for nexxt-office365, written by \`nexxt-onboard new-customer\` on ${content.writtenOn.toISOString().slice(0, 10)}.`,
    "Reviewer: check the tenant ID and the Company ID against the customer's order. Keys not set",
    "below take the program's default; the commented-out lines at the end show each one.",
    `Preview it offline: bin/nexxt-onboard plan --stack ${content.stack}`,
  ];
  if (content.sharedTenant) {
    lines.push(
      "",
      "This customer shares its Entra tenant with another stack, on purpose (new-customer",
      "--allow-shared-tenant). Every stack file of this tenant must carry the next line, or",
      "`nexxt-onboard validate` refuses the duplicate tenant ID.",
      SHARED_TENANT_MARKER.replace(/^#\s*/, ""),
    );
  }
  return lines;
}

function describeWritten(fullKey: string): string {
  if (fullKey === "azuread:environment") {
    return "The azuread provider's cloud; it must name the same Microsoft cloud as nexxt:cloud.";
  }
  const spec = SPEC_OF_KEY.get(fullKey);
  if (!spec) return fullKey;
  if (spec.required) return `Required. ${spec.description}`;
  return spec.defaultValue === undefined ? spec.description : `${spec.description} Default: ${spec.defaultValue}.`;
}

function hintLines(content: StackFileContent): string[] {
  const unset = CONFIG_KEYS.filter((spec) => !(`${CONFIG_NAMESPACE}:${spec.key}` in content.config));
  const withDefault = unset.filter((spec) => spec.defaultValue !== undefined);
  const withoutDefault = unset.filter((spec) => spec.defaultValue === undefined);
  const lines: string[] = [];
  if (withDefault.length > 0) {
    lines.push("", "Defaults in effect. To change one, uncomment its line and edit the value.");
    for (const spec of withDefault) lines.push("", spec.description, `${CONFIG_NAMESPACE}:${spec.key}: ${spec.defaultValue}`);
  }
  if (withoutDefault.length > 0) {
    lines.push("", "Not set (no default). Uncomment to use; the values shown are examples.");
    for (const spec of withoutDefault) lines.push("", spec.description, unsetKeyLine(spec, content.stack));
  }
  return lines;
}

/** A secret is never a line to uncomment: in clear text it would be committed. */
function unsetKeyLine(spec: ConfigKeySpec, stack: string): string {
  const fullKey = `${CONFIG_NAMESPACE}:${spec.key}`;
  return spec.secret ? `Set it encrypted: pulumi config set --secret ${fullKey} --stack ${stack}` : `${fullKey}: ${spec.example}`;
}
