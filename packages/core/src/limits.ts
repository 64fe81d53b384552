/**
 * Sizes the JSON API and the CSV import both hold to, so neither door lets in what the other refuses.
 */
export const nameLimits = {
  /** Characters in a table or column name (after trimming). */
  maxNameChars: 200,
  /** Input columns a table is created with (`POST /tables` `columns`, a CSV header). */
  maxColumns: 1000,
} as const;
