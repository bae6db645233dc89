/**
 * The emulated tenant, app and secrets the tests and the benchmark share. Obviously fake values,
 * never a real tenant's: the emulators accept them, Microsoft never would.
 */
export const TENANT_ID = "11111111-2222-3333-4444-555555555555";
export const APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
/** Has every character a form body must encode: ~ + & = % and a space. */
export const SECRET = "FAKE~x+y&z=1%2F y_not-a-real-secret";
export const NEXXT_API_TOKEN = "nexxt-api-token-Zq8~+&=";
