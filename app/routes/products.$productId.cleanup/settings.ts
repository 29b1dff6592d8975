/** How long untouched, in days, the cleanup view offers; 90 unless chosen. */
export const dayChoices = [30, 60, 90, 180] as const;
export const defaultDays = 90;
