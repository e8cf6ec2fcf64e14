import { chromiumAvailable, chromiumPath } from '../../src/dashboard/briefing';

/**
 * Browser tests need Debian's chromium: without it they skip loudly, naming what is missing,
 * or fail when REQUIRE_CHROMIUM=1 (set by .ci/run). `what` names the tests in the message.
 */
export function chromiumForTests(what: string): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.REQUIRE_CHROMIUM === '1')
    throw new Error(`REQUIRE_CHROMIUM=1 but chromium is not installed at ${chromiumPath()}`);
  console.warn(
    `SKIPPED ${what}: chromium is not installed at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
  return false;
}
