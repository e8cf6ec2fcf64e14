import { Foundation1760000000000 } from './1760000000000-foundation';

/** Every migration in order; the app and the migration CLI run exactly these. */
export const MIGRATIONS = [Foundation1760000000000];
