import { Foundation1760000000000 } from './1760000000000-foundation';
import { ReturnVersions1760000050000 } from './1760000050000-return-versions';
import { Auth1760000400000 } from './1760000400000-auth';

/** Every migration in order; the app and the migration CLI run exactly these. */
export const MIGRATIONS = [
  Foundation1760000000000,
  ReturnVersions1760000050000,
  Auth1760000400000,
];
