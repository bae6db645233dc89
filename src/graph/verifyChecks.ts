import { findPermission } from "../catalogue/graphPermissions";
import { UserError } from "../errors";
import type { Explanation } from "./failureExplanations";

/** The checks `preflight` adds; rendered and counted as verify's are. */
export type PreflightKind = "sign-in" | "consent" | "tenant" | "privilege" | "graph-sp" | "namesake" | "policy" | "takeover";

/** pass and warn do not fail verify; fail does; skip means an earlier failure made the check impossible. */
export type Verdict = "pass" | "warn" | "fail" | "skip";

export interface Check {
  /** verify: token, permission, extra-roles, users, contacts; preflight: its own kinds (src/preflight/preflightChecks.ts). */
  kind: "token" | "permission" | "extra-roles" | "users" | "contacts" | PreflightKind;
  /** What was checked: a permission name, a Graph path, the token endpoint. */
  subject: string;
  verdict: Verdict;
  detail: string;
  explanation?: Explanation;
  /** The failure was the service not answering (after retries), not a refusal. */
  unreachable?: boolean;
}

/**
 * The permissions verify expects: --permissions wins, then the connector document's list, then the
 * catalogue default. Names are checked against the catalogue and returned in Graph's spelling.
 */
export function expectedPermissions(flag: string[] | undefined, fromDocument: string[] | undefined, fallback: readonly string[]): string[] {
  const names = flag ?? fromDocument ?? [...fallback];
  const source = flag !== undefined ? "--permissions" : fromDocument !== undefined ? "the --config permissions" : "the default permissions";
  const canonical = names.map((name) => {
    const known = findPermission(name.trim());
    if (!known)
      throw new UserError(`${source} name '${name}', which is not a Microsoft Graph application permission this tool knows; use names such as User.Read.All and Contacts.Read.`);
    return known.name;
  });
  if (canonical.length === 0) throw new UserError(`${source} is empty; name at least one permission, e.g. --permissions User.Read.All,Contacts.Read.`);
  return [...new Set(canonical)];
}

/**
 * One check per expected permission against the token's roles, and one warning for roles the
 * token has beyond them (least privilege). Roles are exact: Graph compares them case-sensitively.
 */
export function permissionChecks(expected: readonly string[], roles: readonly string[]): Check[] {
  const granted = new Set(roles);
  const checks: Check[] = expected.map((name) =>
    granted.has(name)
      ? { kind: "permission", subject: name, verdict: "pass", detail: "in the token's roles (admin consent granted)" }
      : {
          kind: "permission",
          subject: name,
          verdict: "fail",
          detail: roles.length === 0 ? "the token has no roles claim at all" : `not in the token's roles (${roles.join(", ")})`,
          explanation: {
            cause:
              roles.length === 0
                ? "admin consent was never granted for this app in this tenant, or it has not reached the token service yet (this can take minutes)"
                : `admin consent does not include ${name}`,
            fix: `grant admin consent for the Microsoft Graph application permission ${name} (API permissions > Grant admin consent, or \`pulumi up\`), then run verify again with --wait 600`,
          },
        },
  );
  const extra = roles.filter((role) => !expected.includes(role));
  if (extra.length > 0) {
    checks.push({
      kind: "extra-roles",
      subject: extra.join(", "),
      verdict: "warn",
      detail: "granted but not expected",
      explanation: { cause: "the app holds more than the sync needs", fix: `remove ${extra.join(", ")} from the app's API permissions unless Nexxt needs them (least privilege)` },
    });
  }
  return checks;
}

/** A check that could not run because an earlier one failed. */
export function skipped(kind: Check["kind"], subject: string, because: string): Check {
  return { kind, subject, verdict: "skip", detail: `not checked: ${because}` };
}

export function allPassed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.verdict === "pass" || check.verdict === "warn");
}

/**
 * 0 when everything passed; 1 when a check failed on an answer from Microsoft (something to fix);
 * 3 when the only failures are services that could not be reached after retries.
 */
export function verifyExitCode(checks: readonly Check[]): 0 | 1 | 3 {
  if (allPassed(checks)) return 0;
  const failures = checks.filter((check) => check.verdict === "fail");
  return failures.length > 0 && failures.every((check) => check.unreachable) ? 3 : 1;
}

const LABEL: Record<Verdict, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };

/** One line per check, with cause and fix under each failure or warning. */
export function renderChecks(checks: readonly Check[]): string {
  const lines: string[] = [];
  for (const check of checks) {
    // A check with nothing to name (one that never ran) reads "SKIP  tenant      not checked: …".
    const what = check.subject === "" ? check.detail : `${check.subject}: ${check.detail}`;
    lines.push(`${LABEL[check.verdict]}  ${check.kind.padEnd(11)} ${what}`);
    // A check that could not run says why and what would let it run, when it knows.
    if (check.explanation && check.verdict !== "pass") {
      lines.push(`      cause: ${check.explanation.cause}`);
      lines.push(`      fix:   ${check.explanation.fix}`);
    }
  }
  lines.push(verdictLine(checks));
  return lines.join("\n");
}

/**
 * The last line, in agreement with verifyExitCode: "All ... passed" only when the exit code is 0.
 * A check that could not run (an empty directory leaves nobody to read contacts of) is not a pass.
 */
export function verdictLine(checks: readonly Check[]): string {
  const failed = checks.filter((check) => check.verdict === "fail").length;
  const warned = checks.filter((check) => check.verdict === "warn").length;
  const notRun = checks.filter((check) => check.verdict === "skip").length;
  const counted = checks.length - warned;
  const warnings = warned === 0 ? "" : ` (${warned} warning${warned > 1 ? "s" : ""})`;
  if (failed > 0) return `${failed} of ${counted} checks failed${notRun > 0 ? `, ${notRun} could not run` : ""}${warnings}.`;
  if (notRun > 0) return `Not proven: ${counted - notRun} of ${counted} checks passed and ${notRun} could not run${warnings}; the setup is not verified.`;
  return `All ${counted} checks passed${warnings}.`;
}
