import { readFileSync } from "node:fs";
import * as path from "node:path";
import YAML from "yaml";

/**
 * docs/nexxt-api.openapi.yaml, read for the contract tests, and a checker for the part of JSON
 * Schema it uses (type, required, properties, additionalProperties, items, minItems, minLength,
 * pattern, format date-time, $ref). Small on purpose: the document uses nothing else, and a
 * keyword it does not know fails loudly instead of passing.
 */
export interface Schema {
  $ref?: string;
  type?: "object" | "string" | "array" | "integer";
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  pattern?: string;
  format?: string;
  description?: string;
}

export interface ApiResponse {
  $ref?: string;
  description?: string;
  "x-nexxt-onboard-client"?: "accepted" | "gone" | "retried" | "refused" | "no-get";
  content?: Record<string, { schema: Schema }>;
}

export interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, ApiResponse>;
}

export interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, ApiResponse>; securitySchemes: Record<string, unknown> };
  security: Record<string, unknown[]>[];
}

export const NEXXT_API_FILE = path.join(__dirname, "..", "..", "docs", "nexxt-api.openapi.yaml");

export function nexxtApi(): OpenApi {
  return YAML.parse(readFileSync(NEXXT_API_FILE, "utf8")) as OpenApi;
}

const KNOWN = new Set(["$ref", "type", "required", "properties", "additionalProperties", "items", "minItems", "minLength", "minimum", "pattern", "format", "description"]);

/** A response with its $ref resolved. */
export function response(api: OpenApi, operation: Operation, status: number): ApiResponse | undefined {
  const found = operation.responses[String(status)];
  if (found?.$ref) return api.components.responses[found.$ref.replace("#/components/responses/", "")];
  return found;
}

/** Every way the value breaks the schema, as "path: problem" lines; empty when it conforms. */
export function schemaProblems(api: OpenApi, schema: Schema, value: unknown, at = "$"): string[] {
  if (schema.$ref) return schemaProblems(api, api.components.schemas[schema.$ref.replace("#/components/schemas/", "")], value, at);
  const unknown = Object.keys(schema).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw new Error(`the schema checker does not know ${unknown.join(", ")} (at ${at})`);
  const problems: string[] = [];
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: missing`);
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property) problems.push(...schemaProblems(api, property, item, `${at}.${key}`));
        else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the contract`);
      }
      return problems;
    }
    case "array":
      if (!Array.isArray(value)) return [`${at}: not an array`];
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
      value.forEach((item, i) => schema.items && problems.push(...schemaProblems(api, schema.items, item, `${at}[${i}]`)));
      return problems;
    case "string":
      if (typeof value !== "string") return [`${at}: not a string`];
      if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
      if (schema.format === "date-time" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) problems.push(`${at}: not an RFC 3339 date-time`);
      return problems;
    case "integer":
      if (!Number.isInteger(value)) return [`${at}: not an integer`];
      return problems;
    default:
      return problems;
  }
}
