import { ANY_ROLE, type Role } from '../auth/roles.decorator';

/**
 * Who may read and who may submit a return: the API's routes (returns.controller.ts) and the
 * `return` commands read the same lists, so the CLI need not load the controller to ask.
 */
export const RETURN_ROLES: { get: readonly Role[]; submit: readonly Role[] } = {
  get: ANY_ROLE,
  submit: ['finance'],
};
