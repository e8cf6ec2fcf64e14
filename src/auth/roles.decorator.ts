import { SetMetadata } from '@nestjs/common';

import { ROLES, type Role } from './roles';

export { ROLES, type Role } from './roles';

/** Roles limited to the projects assigned to them (writes naming another project are refused). */
export const PROJECT_SCOPED_ROLES: readonly string[] = ['programme_manager', 'delivery_partner'];
export const isProjectScoped = (role: string) => PROJECT_SCOPED_ROLES.includes(role);

export const ROLES_KEY = 'roles';
/**
 * Who may call a route (admin always may). Every route carries @Roles(...) or @Public();
 * the auth guard denies anything without either. Read routes usually name every role.
 * A programme_manager is further limited to the projects assigned to them: routes that act
 * on one project name it in a `:project` path parameter or a `project` body field.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Every signed-in role: for reads of non-public data (drafts included). */
export const ANY_ROLE: Role[] = [...ROLES];
