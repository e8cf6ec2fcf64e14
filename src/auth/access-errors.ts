import { DomainError, UnauthenticatedError } from '../common/errors';

/** A credential refused although it names a subject that exists (a token's public id): its failures count against that subject. */
export class RejectedCredentialError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly knownSubject: string,
  ) {
    super(message);
  }
}

/**
 * The guard's refusals carry their own codes, so a 403 from the access rules can be told
 * apart from a business rule's (the access-matrix test relies on this).
 */
export class NoAccessRuleError extends DomainError {
  constructor(route: string) {
    super('NO_ACCESS_RULE', `${route} has no access rule (@Roles or @Public), so it is denied to everyone`, 403);
  }
}

export class RoleNotAllowedError extends DomainError {
  constructor(role: string, allowed: readonly string[]) {
    super(
      'ROLE_NOT_ALLOWED',
      `your role (${role}) may not do this; allowed: ${['admin', ...allowed.filter((r) => r !== 'admin')].join(', ')}`,
      403,
      { role, allowed },
    );
  }
}

export class ProjectNotAssignedError extends DomainError {
  constructor(project: string, field: string) {
    super(
      'PROJECT_NOT_ASSIGNED',
      `${field}: project "${project}" is not assigned to you (programme managers change only their assigned projects)`,
      403,
      { field, project },
    );
  }
}

export const ACCESS_DENIAL_CODES = ['NO_ACCESS_RULE', 'ROLE_NOT_ALLOWED', 'PROJECT_NOT_ASSIGNED'];
