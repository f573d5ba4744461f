/**
 * Domain errors of the security services. They carry a stable code and no HTTP status: the
 * control plane maps them (NOT_FOUND → 404, INVALID → 400, CONFLICT → 409).
 */
export class SecurityError extends Error {
  constructor(
    readonly kind: 'NOT_FOUND' | 'INVALID' | 'CONFLICT',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SecurityError';
  }

  static notFound(code: string, message: string) {
    return new SecurityError('NOT_FOUND', code, message);
  }
  static invalid(code: string, message: string) {
    return new SecurityError('INVALID', code, message);
  }
  static conflict(code: string, message: string) {
    return new SecurityError('CONFLICT', code, message);
  }
}
