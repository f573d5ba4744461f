/** A deadline's or a validity's colour (the API's GREEN / YELLOW / RED), readable on white. */
export const DEADLINE_COLOURS: Readonly<Record<string, string>> = { GREEN: '#135200', YELLOW: '#874d00', RED: '#a8071a' };
