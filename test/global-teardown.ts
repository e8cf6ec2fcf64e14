import { dropTemplates } from './support/db-templates';

/** Drops the loaded-database templates this test process built (see support/db-templates.ts). */
export default async function globalTeardown(): Promise<void> {
  await dropTemplates();
}
