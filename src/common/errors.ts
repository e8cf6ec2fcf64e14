/**
 * Domain errors carry a stable code and the HTTP status they map to. Services throw
 * these; one global filter turns them into responses, and the CLI into exit codes.
 */
export interface FieldProblem {
  field: string;
  problem: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, key: string | number, field?: string) {
    super('NOT_FOUND', `${what} "${key}" was not found`, 404, field ? { field } : undefined);
  }
}

/** A reference in a request body that points at nothing (422, the field named). */
export class UnknownReferenceError extends DomainError {
  constructor(field: string, what: string, key: string | number) {
    super('UNKNOWN_REFERENCE', `${field}: ${what} "${key}" does not exist`, 422, { field });
  }
}

export class ValidationError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), 400, { problems });
  }
}

/** A request that is well-formed but breaks a business rule (422). */
export class RuleViolationError extends DomainError {
  constructor(rule: string, message: string, field?: string, extra?: Record<string, unknown>) {
    super(rule, field ? `${field}: ${message}` : message, 422, { ...(field ? { field } : {}), ...extra });
  }
}

export class DuplicateError extends DomainError {
  constructor(what: string, field: string, value: string) {
    super('DUPLICATE', `${field}: a ${what} with ${field} "${value}" already exists`, 409, { field });
  }
}

export class StaleVersionError extends DomainError {
  constructor(what: string, id: string | number, sentVersion: number, currentVersion: number, current?: unknown) {
    super(
      'STALE_VERSION',
      `${what} ${id} was changed by someone else: you sent version ${sentVersion}, the current version is ${currentVersion}`,
      409,
      {
        field: 'version',
        currentVersion,
        current,
      },
    );
  }
}

export class LockedError extends DomainError {
  constructor(message: string, field?: string) {
    super('PERIOD_LOCKED', field ? `${field}: ${message}` : message, 409, field ? { field } : undefined);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'a valid API token is required (Authorization: Bearer <token>)') {
    super('UNAUTHENTICATED', message, 401);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'your role does not allow this') {
    super('FORBIDDEN', message, 403);
  }
}

/** CLI exit codes: 0 ran, 1 unexpected failure, 2 bad input or not found, 3 checks failed. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof DomainError) return err.status >= 500 ? 1 : 2;
  return 1;
}
