import type { Cloud } from "../catalogue/clouds";
import type { GraphPermission } from "../catalogue/graphPermissions";
import type { RotationSettings } from "../schedule/secretSchedule";

/** A stack's `nexxt:` configuration after validation: everything the program needs, typed. */
export interface ConnectorSettings {
  /** The customer's tenant GUID, lower case. */
  tenantId: string;
  /** The Nexxt Company ID (the last segment of the licence page address). */
  companyId: string;
  /** The customer's Nexxt base URL, https, without a trailing slash. */
  nexxtUrl?: string;
  /** The Nexxt's hostname or IP address, lower case, for the licence order and the hand-off. */
  nexxtHost?: string;
  displayName: string;
  /** In catalogue spelling and the order given. */
  permissions: GraphPermission[];
  allowHighPrivilege: boolean;
  secretLifetimeDays: number;
  cloud: Cloud;
  rotation: RotationSettings;
  /** Client ID of a registration made by hand, to take over instead of creating one. */
  existingApplicationId?: string;
  sink: SinkSettings;
}

/** Where the connector configuration goes (issue: emit the credentials into Nexxt). */
export interface SinkSettings {
  /** Directory of `<stack>.nexxt.json`; undefined when the file is switched off. */
  connectorConfigDir?: string;
  /** Nexxt's endpoint for the document (PUT on change, DELETE on destroy). */
  apiUrl?: string;
  /** Keep the document in Nexxt on `pulumi destroy`. */
  retainOnDelete: boolean;
}
