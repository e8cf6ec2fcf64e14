/** The roles a user may have (a light module: the command line's help lists them). */
export const ROLES = ['admin', 'programme_manager', 'finance', 'approver', 'viewer', 'delivery_partner'] as const;
export type Role = (typeof ROLES)[number];

/** The metadata key of `@Roles(...)` (here so the command line can read it without loading Nest). */
export const ROLES_KEY = 'roles';
