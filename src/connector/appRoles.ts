import type { GraphPermission } from "../catalogue/graphPermissions";
import { UserError } from "../errors";

export interface ResolvedAppRole {
  name: string;
  id: string;
}

/**
 * Picks each configured permission's app role ID from what the tenant's Microsoft Graph service
 * principal offers (`appRoleIds`: name -> ID) and cross-checks it with the catalogue. A tenant
 * that does not offer a permission, or offers it under another ID, gets nothing granted: granting
 * "whatever has that name" is how the wrong permission gets consented.
 */
export function resolveGraphAppRoles(permissions: readonly GraphPermission[], offered: Readonly<Record<string, string>>): ResolvedAppRole[] {
  return permissions.map((permission) => {
    const id = offered[permission.name];
    if (id === undefined) {
      throw new UserError(
        `The tenant's Microsoft Graph service principal does not offer the application permission '${permission.name}', so it cannot be granted; remove it from nexxt:permissions or check that this tenant is in the cloud named by nexxt:cloud.`,
      );
    }
    if (id.toLowerCase() !== permission.id.toLowerCase()) {
      throw new UserError(
        `The tenant's Microsoft Graph offers '${permission.name}' with app role ID ${id}, but Microsoft publishes ${permission.id}; nothing was granted. Check the tenant's Graph service principal, or report this if Microsoft changed the ID.`,
      );
    }
    return { name: permission.name, id: permission.id };
  });
}
