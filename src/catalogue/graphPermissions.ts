/**
 * The Microsoft Graph application permissions (app roles) this tool knows.
 *
 * IDs are the app role IDs Microsoft publishes in the permissions reference
 * (https://learn.microsoft.com/graph/permissions-reference, "Application" identifier column);
 * they are the same in every tenant. The program still resolves each ID from the tenant's own
 * Graph service principal and refuses to grant when the two disagree.
 *
 * `highPrivilege`: can write, or reads beyond what a directory and contact sync needs. Those are
 * refused unless the stack sets `nexxt:allowHighPrivilege: true`.
 */
export interface GraphPermission {
  name: string;
  id: string;
  /** What it allows: Microsoft's application DisplayText (the app role's displayName), not the longer description. */
  description: string;
  highPrivilege: boolean;
}

const entries: GraphPermission[] = [
  // What the Nexxt sync needs (the defaults), and narrower or equal-risk reads.
  { name: "User.Read.All", id: "df021288-bdef-4463-88db-98f22de89214", description: "Read all users' full profiles", highPrivilege: false },
  { name: "Contacts.Read", id: "089fe4d0-434a-44c5-8827-41ba8a0b17f5", description: "Read contacts in all mailboxes", highPrivilege: false },
  { name: "User.ReadBasic.All", id: "97235f07-e226-4f63-ace3-39588e11d3a1", description: "Read all users' basic profiles", highPrivilege: false },
  { name: "OrgContact.Read.All", id: "e1a88a34-94c4-4418-be12-c87b00e26bea", description: "Read organizational contacts", highPrivilege: false },
  { name: "GroupMember.Read.All", id: "98830695-27a2-44f7-8c18-0c3ebc9698f6", description: "Read all group memberships", highPrivilege: false },
  { name: "Presence.Read.All", id: "a70e0c2d-e793-494c-94c4-118fa0a67f42", description: "Read presence information for all users", highPrivilege: false },
  // Reads beyond a directory and contact sync.
  { name: "Group.Read.All", id: "5b567255-7703-4780-807c-7be8301ae99b", description: "Read all groups, including their conversations", highPrivilege: true },
  { name: "Directory.Read.All", id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", description: "Read directory data", highPrivilege: true },
  { name: "Application.Read.All", id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", description: "Read all applications", highPrivilege: true },
  { name: "People.Read.All", id: "b528084d-ad10-4598-8b93-929746b4d7d6", description: "Read all users' relevant people lists", highPrivilege: true },
  { name: "Calendars.Read", id: "798ee544-9d2d-430c-a058-570e29e34338", description: "Read calendars in all mailboxes", highPrivilege: true },
  { name: "Mail.Read", id: "810c84a8-4a9e-49e6-bf7d-12d183f40d01", description: "Read mail in all mailboxes", highPrivilege: true },
  { name: "Files.Read.All", id: "01d4889c-1287-42c6-ac1f-5d1e02578ef6", description: "Read files in all site collections", highPrivilege: true },
  { name: "Sites.Read.All", id: "332a536c-c7ef-4017-ab91-336970924f0d", description: "Read items in all site collections", highPrivilege: true },
  // Writes.
  { name: "User.ReadWrite.All", id: "741f803b-c850-494e-b5df-cde7c675a1ca", description: "Read and write all users' full profiles", highPrivilege: true },
  { name: "Contacts.ReadWrite", id: "6918b873-d17a-4dc1-b314-35f528134491", description: "Read and write contacts in all mailboxes", highPrivilege: true },
  { name: "Directory.ReadWrite.All", id: "19dbc75e-c2e2-444c-a770-ec69d8559fc7", description: "Read and write directory data", highPrivilege: true },
  { name: "Application.ReadWrite.All", id: "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", description: "Read and write all applications", highPrivilege: true },
  {
    name: "AppRoleAssignment.ReadWrite.All",
    id: "06b708a9-e830-4db3-a914-8e69da51d44f",
    description: "Manage app permission grants and app role assignments",
    highPrivilege: true,
  },
  { name: "RoleManagement.ReadWrite.Directory", id: "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", description: "Read and write all directory RBAC settings", highPrivilege: true },
  { name: "Mail.ReadWrite", id: "e2a3a72e-5f79-4c64-b1b1-878b674786c9", description: "Read and write mail in all mailboxes", highPrivilege: true },
  { name: "Mail.Send", id: "b633e1c5-b582-4048-a93e-9f11b44c7e96", description: "Send mail as any user", highPrivilege: true },
];

export const GRAPH_PERMISSIONS: ReadonlyMap<string, GraphPermission> = new Map(entries.map((entry) => [entry.name, entry]));

/** What Nexxt's sync needs: read users, and read the contacts in their mailboxes. */
export const DEFAULT_PERMISSIONS: readonly string[] = ["User.Read.All", "Contacts.Read"];

/**
 * Name patterns that are high-privilege whatever the catalogue says, so that a catalogue entry
 * added later without thought cannot open a write or tenant-wide read.
 */
const HIGH_PRIVILEGE_PATTERNS: readonly RegExp[] = [
  /ReadWrite/i,
  /\.Write/i,
  /\.Send/i,
  /\.Manage/i,
  /^Directory\./i,
  /^Application\./i,
  /^AppRoleAssignment\./i,
  /^RoleManagement\./i,
  /^Mail\./i,
  /^Files\./i,
  /^Sites\./i,
];

export function isHighPrivilege(permission: GraphPermission): boolean {
  return permission.highPrivilege || HIGH_PRIVILEGE_PATTERNS.some((pattern) => pattern.test(permission.name));
}

/** Looks a name up case-insensitively (Graph names are case-sensitive, people's typing is not). */
export function findPermission(name: string): GraphPermission | undefined {
  const exact = GRAPH_PERMISSIONS.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return entries.find((entry) => entry.name.toLowerCase() === lower);
}
