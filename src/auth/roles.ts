/** The roles a user may have (a light module: the command line's help lists them). */
export const ROLES = ['admin', 'programme_manager', 'finance', 'approver', 'viewer', 'delivery_partner'] as const;
export type Role = (typeof ROLES)[number];
