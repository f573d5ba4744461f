/**
 * The parts of GatewayConfig (one file per area, e.g. transport.settings.ts) are mixins: each adds
 * its variables, with their defaults and validation, to the class it is given. GatewayConfig is
 * the one class they make together, validated once (gateway-config.ts).
 */
// A mixin's base must be constructible with any arguments (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Settings = new (...args: any[]) => object;

/** An environment string as a number; unset or empty stays unset (the default applies). */
export const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
