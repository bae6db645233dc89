/** One day in milliseconds. Every date here is a UTC instant, so a day is always this long. */
export const DAY_MS = 86_400_000;
