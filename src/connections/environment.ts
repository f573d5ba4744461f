/** Test credentials reach only test data, production credentials only production data. */
export const ENVIRONMENTS = ['test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
