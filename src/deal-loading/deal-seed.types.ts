import type { SeedProvenance } from '../common/provenance';
import type { DealCommitmentSeed } from '../milestones/deal-commitments.load';
import type { HeadlineRule } from '../headlines/headline-rule';

export type { SeedProvenance };

export interface DealSeed {
  name: string;
  illustrative?: boolean;
  programme: {
    code: string;
    name: string;
    description?: string;
    lep?: string;
    startsOn: string;
    endsOn: string;
    /** Last date outputs may be recorded for; default five years after endsOn. */
    monitoringEndsOn?: string;
    firstQuarter: string;
    /** The programme's own "today" (programme time); unset means the wall-clock date. */
    asOfDate?: string;
    synthetic?: boolean;
    source?: SeedProvenance;
  };
  organisations?: {
    code: string;
    name: string;
    kind: string;
    identifier?: string | null;
    identifierAssumed?: boolean;
  }[];
  themes: { code: string; name: string; description?: string; source?: SeedProvenance }[];
  projects: {
    code: string;
    name: string;
    theme?: string;
    description?: string | null;
    location?: string | null;
    status?: string;
    leadBody?: string | null;
    source?: SeedProvenance;
  }[];
  pools?: {
    code: string;
    name: string;
    theme?: string;
    description?: string;
    projects: string[];
    source?: SeedProvenance;
  }[];
  allocations: {
    ref: string;
    sourceKind: string;
    project?: string;
    pool?: string;
    period: string;
    amount: string;
    commitmentStatus: string;
    description?: string;
    source?: SeedProvenance;
  }[];
  headlines: {
    code: string;
    measure: string;
    label: string;
    qualifier: string;
    unit: string;
    amount?: string;
    value?: number;
    precision: string | number;
    rule: HeadlineRule;
    table?: { name: string; row: string; column: string };
    notes?: string;
    source: SeedProvenance;
  }[];
  commitments?: DealCommitmentSeed[];
}
