/*
 * The 2014 deal reconciled by hand from shared/source/growth-deal-2014.md, before the engine
 * existed. Allocations (every one unprofiled except the growth hub's £250,000 revenue grant for
 * 2015-16, which is outside the capital totals and so counted by no headline below):
 *   LGF              Etruria 2.4, Lichfield 4, Meaford 4.2, Bericote 1, SWAR 16.1, AMSH 6.9 = £34.6m
 *   LGF_PRECOMMITTED Etruria 8.2, SWAR 8.2                                          = £16.4m
 *   LGF_PROVISIONAL  Branston 6, Etruria 16.1, LSTP 5                               = £27.1m
 *   LOCAL_MATCH      Etruria 2.5, Meaford 0.1, SWAR 2, LSTP 2, AMSH 1.9             = £8.5m
 *   PRIVATE_MATCH    pool SITES-PRIVATE 4.8, pool CONNECTIVITY-PRIVATE 5.8          = £10.6m
 * LGF family (the three LGF kinds) = £78.1m; match = £19.1m; all capital = £97.2m.
 */
export const LGF_FAMILY = '78100000.00';
const NC = null; // not comparable: no computed figure, no variance

// [code, check, status, stated, computed, variance, unattributed]
export type Row = [
  string,
  string,
  string,
  string | number,
  string | number | null,
  string | number | null,
  string | null,
];
export const EXPECTED: Row[] = [
  // "they announced a Growth Deal worth £82.2m": exact to £0.1m; £78.1m is £4.1m short.
  ['A-ANNOUNCED-INVESTMENT', 'allocations', 'unreconciled', '82200000.00', LGF_FAMILY, '-4100000.00', '4100000.00'],
  // Jobs: no outputs exist yet, so nothing to compare (never a fake variance).
  ['A-ANNOUNCED-JOBS', 'outputs', 'not_comparable', 4900, NC, NC, null],
  // "secured £82.2m investment": as the announcement.
  ['A-SECURED-INVESTMENT', 'allocations', 'unreconciled', '82200000.00', LGF_FAMILY, '-4100000.00', '4100000.00'],
  ['A-SECURED-JOBS', 'outputs', 'not_comparable', 4900, NC, NC, null],
  // "8 key economic growth projects": the seed has eight projects, none withdrawn.
  ['A-SECURED-PROJECTS', 'count', 'reconciled', 8, 8, 0, null],
  // "unlocked £82m": printed to £1m, so within ±£0.5m would do; £3.9m short is not within rounding.
  ['A-SUMMARY-INVESTMENT', 'allocations', 'unreconciled', '82000000.00', LGF_FAMILY, '-3900000.00', '3900000.00'],
  ['A-SUMMARY-JOBS', 'outputs', 'not_comparable', 4900, NC, NC, null],
  ['B-HOMES', 'outputs', 'not_comparable', 1000, NC, NC, null],
  ['B-JOBS', 'outputs', 'not_comparable', 5000, NC, NC, null],
  // "£13.6m confirmed for 2015-16" / "£14.1m for 2016-17 to 2021": every LGF project figure is
  // unprofiled, so a year figure cannot be checked; no split is invented.
  ['B-LGF-2015-16', 'allocations', 'not_comparable', '13600000.00', NC, NC, null],
  ['B-LGF-2016-ON', 'allocations', 'not_comparable', '14100000.00', NC, NC, null],
  // "£82.3m from the Government's Local Growth fund": £78.1m is £4.2m short.
  ['B-LGF-TOTAL', 'allocations', 'unreconciled', '82300000.00', LGF_FAMILY, '-4200000.00', '4200000.00'],
  // "at least £19m" of match: 8.5 + 10.6 = £19.1m reaches it (minimums carry no unattributed line).
  ['B-MATCH', 'allocations', 'met', '19000000.00', '19100000.00', '100000.00', null],
  // "total new investment package of £101.3m": allocations 78.1 + 19.1 = £97.2m, £4.1m short...
  ['B-PACKAGE', 'allocations', 'unreconciled', '101300000.00', '97200000.00', '-4100000.00', '4100000.00'],
  // ...while the deal's own arithmetic, £82.3m + at least £19m = £101.3m, holds exactly.
  ['B-PACKAGE', 'sumOf', 'reconciled', '101300000.00', '101300000.00', '0.00', null],
  // "£20.6m ... previously committed": Etruria 8.2 + SWAR 8.2 = £16.4m, £4.2m short.
  ['B-PRECOMMITTED', 'allocations', 'unreconciled', '20600000.00', '16400000.00', '-4200000.00', '4200000.00'],
  // "a provisional award of a further £34m" (to £1m): Branston 6 + Etruria 16.1 + LSTP 5 = £27.1m.
  ['B-PROVISIONAL', 'allocations', 'unreconciled', '34000000.00', '27100000.00', '-6900000.00', '6900000.00'],
  // "open up five key employment sites": five projects in the SITES theme.
  ['B-SITES', 'count', 'reconciled', 5, 5, 0, null],
  // Theme commitments ("Invest £16.1m in the following project" etc.) each equal their listed projects.
  ['CONNECTIVITY-LGF', 'allocations', 'reconciled', '16100000.00', '16100000.00', '0.00', null], // SWAR 16.1
  ['CONNECTIVITY-LOCAL', 'allocations', 'reconciled', '4000000.00', '4000000.00', '0.00', null], // SWAR 2 + LSTP 2
  ['CONNECTIVITY-PRECOMMITTED', 'allocations', 'reconciled', '8200000.00', '8200000.00', '0.00', null], // SWAR 8.2
  ['CONNECTIVITY-PRIVATE', 'allocations', 'reconciled', '5800000.00', '5800000.00', '0.00', null], // the pool's 5.8
  ['CONNECTIVITY-PROVISIONAL', 'allocations', 'reconciled', '5000000.00', '5000000.00', '0.00', null], // LSTP 5
  ['SITES-LGF', 'allocations', 'reconciled', '11600000.00', '11600000.00', '0.00', null], // 2.4 + 4 + 4.2 + 1
  ['SITES-LOCAL', 'allocations', 'reconciled', '2600000.00', '2600000.00', '0.00', null], // 2.5 + 0.1
  ['SITES-PRECOMMITTED', 'allocations', 'reconciled', '8200000.00', '8200000.00', '0.00', null], // Etruria 8.2
  ['SITES-PRIVATE', 'allocations', 'reconciled', '4800000.00', '4800000.00', '0.00', null], // the pool's 4.8
  ['SITES-PROVISIONAL', 'allocations', 'reconciled', '22100000.00', '22100000.00', '0.00', null], // 6 + 16.1
  // The breakdown table's year cells: unprofiled project figures again, so not comparable.
  ['TABLE-LGF-2015-16', 'allocations', 'not_comparable', '13600000.00', NC, NC, null],
  ['TABLE-LGF-2016-ON', 'allocations', 'not_comparable', '14100000.00', NC, NC, null],
  // Table "27.7" LGF award: the LGF project figures reach £34.6m, £6.9m MORE: over-attributed.
  ['TABLE-LGF-TOTAL', 'allocations', 'unreconciled', '27700000.00', '34600000.00', '6900000.00', '-6900000.00'],
  // The row itself adds up: 13.6 + 14.1 = 27.7.
  ['TABLE-LGF-TOTAL', 'sumOf', 'reconciled', '27700000.00', '27700000.00', '0.00', null],
  ['TABLE-PRE-2015-16', 'allocations', 'not_comparable', '7400000.00', NC, NC, null],
  ['TABLE-PRE-2016-ON', 'allocations', 'not_comparable', '13200000.00', NC, NC, null],
  // Table "20.6" previously committed: £16.4m, £4.2m short; the row 7.4 + 13.2 = 20.6 holds.
  ['TABLE-PRE-TOTAL', 'allocations', 'unreconciled', '20600000.00', '16400000.00', '-4200000.00', '4200000.00'],
  ['TABLE-PRE-TOTAL', 'sumOf', 'reconciled', '20600000.00', '20600000.00', '0.00', null],
  // "-" is printed for provisional 2015/6 (stored as 0); still not comparable with unprofiled money.
  ['TABLE-PROV-2015-16', 'allocations', 'not_comparable', '0.00', NC, NC, null],
  ['TABLE-PROV-2016-ON', 'allocations', 'not_comparable', '34000000.00', NC, NC, null],
  // Table "34" provisional: £27.1m, £6.9m short (the mirror of the LGF row's £6.9m surplus);
  // the row '-' (0) + 34 = 34 holds.
  ['TABLE-PROV-TOTAL', 'allocations', 'unreconciled', '34000000.00', '27100000.00', '-6900000.00', '6900000.00'],
  ['TABLE-PROV-TOTAL', 'sumOf', 'reconciled', '34000000.00', '34000000.00', '0.00', null],
  // Table "82.3": £78.1m, £4.2m short; the columns 21. + 61.3 = 82.3 hold.
  ['TABLE-TOTAL', 'allocations', 'unreconciled', '82300000.00', LGF_FAMILY, '-4200000.00', '4200000.00'],
  ['TABLE-TOTAL', 'sumOf', 'reconciled', '82300000.00', '82300000.00', '0.00', null],
  // Table "21." (to £1m): 13.6 + 7.4 + 0 = 21.0, exactly.
  ['TABLE-TOTAL-2015-16', 'allocations', 'not_comparable', '21000000.00', NC, NC, null],
  ['TABLE-TOTAL-2015-16', 'sumOf', 'reconciled', '21000000.00', '21000000.00', '0.00', null],
  // Table "61.3": 14.1 + 13.2 + 34 = 61.3, exactly.
  ['TABLE-TOTAL-2016-ON', 'allocations', 'not_comparable', '61300000.00', NC, NC, null],
  ['TABLE-TOTAL-2016-ON', 'sumOf', 'reconciled', '61300000.00', '61300000.00', '0.00', null],
];
