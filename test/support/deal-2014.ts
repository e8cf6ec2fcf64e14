/**
 * The seeded 2014 deal's approved allocations per source kind, as the API speaks them: the
 * figures several end-to-end tests check (envelope, reconciliation, dashboard, return, open
 * data). One copy, so a change to the seed changes one fixture. Reconciled by hand from
 * shared/source/growth-deal-2014.md (see test/reconciliation-2014.expected.ts for the split by project).
 */
export const APPROVED_BY_SOURCE_2014: Readonly<Record<string, string>> = Object.freeze({
  LGF: '34600000.00',
  LGF_PRECOMMITTED: '16400000.00',
  LGF_PROVISIONAL: '27100000.00',
  LOCAL_MATCH: '8500000.00',
  PRIVATE_MATCH: '10600000.00',
  REVENUE_GRANT: '250000.00',
});

/** Every capital kind (all but the growth hub's £250,000 revenue grant). */
export const CAPITAL_2014 = '97200000.00';
/** Capital plus the revenue grant. */
export const ALL_SOURCES_2014 = '97450000.00';
