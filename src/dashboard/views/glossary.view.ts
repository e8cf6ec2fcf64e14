/** A term the public pages use, with the anchor other pages link to (`/glossary#slippage`). */
export interface GlossaryTerm {
  id: string;
  term: string;
  meaning: string;
}

/**
 * Plain English for the words a committee member meets on these pages. Each meaning says what
 * this service computes, in the words of shared/DESIGN.md's rules, so the page cannot promise
 * more than the figures do. Data only: views/public/glossary.njk (src/web) lays it out.
 */
export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    id: 'allocation',
    term: 'Allocation',
    meaning:
      'Money approved for a project (or for a group of projects, or for the programme as a whole) from one funding source, for one year, a range of years, or with no year given.',
  },
  {
    id: 'agreed',
    term: 'Agreed (the deal as agreed)',
    meaning:
      'The figures as the deal document states them when it was loaded. They never change. The current approved figures are shown beside them, with each change and the change request that made it.',
  },
  {
    id: 'change-request',
    term: 'Change request',
    meaning:
      'A proposal to move money, re-profile spend, change dates or targets, add, hold or withdraw a project. Nothing changes until a person with the approver role approves it; the figures before and after are kept.',
  },
  {
    id: 'brag',
    term: 'BRAG (blue, red, amber, green)',
    meaning:
      'The status colours used by Local Enterprise Partnerships. Blue means complete, green on track, amber at some risk, red at serious risk. Grey means nothing has been recorded yet. Every colour on these pages comes with the rule and the figures that produced it.',
  },
  {
    id: 'slippage',
    term: 'Slippage',
    meaning:
      'Spending that has moved to a later year than planned. Money moving to an earlier year is acceleration. Slippage is not overspend: the total may be unchanged.',
  },
  {
    id: 'overspend',
    term: 'Overspend',
    meaning:
      "A project's forecast outturn is more than its total approved allocation. Nothing else is called overspend.",
  },
  {
    id: 'underspend',
    term: 'Underspend risk',
    meaning:
      "The year's latest spending forecast is below 85 % of the year's approved allocation (amber from 85 % to 95 %), so some money may not be spent in the year it was given for.",
  },
  {
    id: 'outturn',
    term: 'Outturn',
    meaning:
      'What a project is expected to have spent in total by the end: money spent to date, plus the forecast for every later quarter, plus any adjustments.',
  },
  {
    id: 'delivered',
    term: 'Delivered',
    meaning:
      'Outputs (jobs, homes, floorspace and so on) achieved up to the end of the last quarter whose return has been submitted. A figure that also counts the quarter still being reported says so.',
  },
  {
    id: 'not-yet-due',
    term: 'Not yet due',
    meaning:
      'A target whose date (for example "by 2021", read as 31 March 2021) has not arrived. Until then it is judged on the forecast final total, and what has been delivered so far is shown as progress, never as "not met".',
  },
  {
    id: 'reconciled',
    term: 'Reconciled',
    meaning:
      'A figure the deal states (a headline such as "£82.3m") equals, to the penny, the sum of the allocations it covers.',
  },
  {
    id: 'within-rounding',
    term: 'Within rounding',
    meaning:
      'A stated figure agrees with the sum of the allocations only as far as it was rounded: "£2.4m" agrees with any sum from £2.35m up to £2.45m. It is shown apart from "reconciled" so that a rounded match is never mistaken for an exact one.',
  },
  {
    id: 'not-comparable',
    term: 'Not comparable',
    meaning:
      'A stated figure that no set of allocations can be set against on the same terms, so no verdict of agreeing or not agreeing is given.',
  },
  {
    id: 'unattributed',
    term: 'Unattributed',
    meaning:
      'The part of a difference between a stated total and its parts that no project or change explains. It is shown as its own line rather than spread across projects.',
  },
  {
    id: 'headroom',
    term: 'Headroom',
    meaning:
      "Money within the programme's funding envelope that is not yet allocated to a project, for example the unspent part of a withdrawn project's allocation.",
  },
  {
    id: 'return',
    term: 'Quarterly return',
    meaning:
      'The report to government for one quarter: finance, milestones, outputs, changes, reconciliation and checks. Once submitted it is frozen; a correction is a new version with a reason.',
  },
  {
    id: 'illustrative',
    term: 'Illustrative',
    meaning:
      'Demonstration data that the source documents do not contain, such as example quarterly progress. It is marked wherever it appears and is never a statement of what happened.',
  },
];
