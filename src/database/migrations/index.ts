import { Foundation1760000000000 } from './1760000000000-foundation';
import { ReturnVersions1760000050000 } from './1760000050000-return-versions';
import { ScaleIndexes1760000600000 } from './1760000600000-scale-indexes';

/** Every migration in order; the app and the migration CLI run exactly these. */
export const MIGRATIONS = [
  Foundation1760000000000,
  ReturnVersions1760000050000,
  ScaleIndexes1760000600000,
];
