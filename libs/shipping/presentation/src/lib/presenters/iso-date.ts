/** A timestamp as the API writes it (ISO 8601, UTC), or null. */
export const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
