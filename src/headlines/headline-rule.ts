/**
 * What a headline covers, stored as JSON with the headline and interpreted by the
 * reconciliation engine. A headline may carry several checks; each gives one line.
 *
 * - allocations: the sum of allocations matching every given filter (codes of source kinds,
 *   themes, projects, pools; financial years as "2015-16"). `yearsOnwards` means "this year
 *   and every later one" ("2016 onwards"). `programmeLevel: false` leaves out allocations to
 *   the programme as a whole. Revenue kinds count only when named in sourceKinds.
 * - sumOf: the sum of other headlines' stated values (table arithmetic: "21. + 61.3 = 82.3").
 * - count: a count of the programme's projects (not withdrawn), optionally in some themes.
 * - outputs: the programme total of output metrics (jobs, homes), double claims removed.
 */
export interface AllocationFilter {
  sourceKinds?: string[];
  themes?: string[];
  projects?: string[];
  pools?: string[];
  years?: string[];
  yearsOnwards?: boolean;
  programmeLevel?: boolean;
}

export interface HeadlineRule {
  allocations?: AllocationFilter;
  sumOf?: string[];
  count?: { of: 'projects'; themes?: string[] };
  outputs?: { metrics: string[] };
}
