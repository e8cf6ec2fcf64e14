import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The folder holding package.json, whether running from src (tests) or dist (built). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json)');
    dir = up;
  }
  root = dir;
  return dir;
}

export const seedsDir = () => join(projectRoot(), 'seeds');
/** The 2014 deal's seed file in seedsDir(). */
export const DEAL_SEED_FILE = 'growth-deal-2014.json';
export const reportsDir = () => join(projectRoot(), 'reports');
