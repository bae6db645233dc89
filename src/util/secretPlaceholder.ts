/**
 * What stands where a secret would be, in every output of ours and of the Pulumi CLI alike:
 * `pulumi stack output --json` without --show-secrets prints a secret output as this
 * (pulumi/pulumi#14576 shows the CLI's masking: `"password": "[secret]"`), the offline plan prints
 * it for every secret value, and the expiry report's inputs must carry exactly it.
 */
export const SECRET_PLACEHOLDER = "[secret]";
