/**
 * Written into the registration's notes: how a later run tells its own app from a namesake. Its
 * own module, free of the Pulumi SDK, so `preflight` recognises the stack's registration without
 * loading the program.
 */
export function managedNote(stackRef: string): string {
  return `Managed by nexxt-office365 (Pulumi stack ${stackRef}). Changes made by hand are undone by the next pulumi up.`;
}
