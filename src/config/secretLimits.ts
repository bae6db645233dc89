/**
 * The bounds on a client secret's lifetime, shared by the config schema and the policy pack (which
 * must not load the whole schema). 730 days is the longest lifetime the Entra portal offers
 * ("24 months") and Microsoft's recommended maximum for application secrets.
 */
export const SECRET_LIFETIME_DAYS = { min: 1, max: 730, default: 365 } as const;
