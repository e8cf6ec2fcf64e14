import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../../auth/actor';
import { AuditRecord } from '../../audit/audit.service';
import { Provenance } from '../../common/provenance';
import { Allocation, CommitmentStatus, PeriodKind } from '../../funding/allocation.entity';
import { Programme } from '../../programmes/programme.entity';

/**
 * One problem with a change request's payload. `code` says which kind of 4xx it becomes:
 * INVALID (malformed: 400), UNKNOWN_REFERENCE (422 naming the field), any other rule (422).
 */
export interface ChangeProblem {
  field: string;
  problem: string;
  code: string;
}

/** An allocation in plain words: who holds it, what money, which period. */
export interface AllocationFacts {
  /** "Meaford employment site", a pool's name, or "the programme". */
  holder: string;
  sourceKind: string;
  /** "Local Growth Fund award". */
  kindLabel: string;
  /** "unprofiled", "2016-17", "2016-17..2020-21". */
  period: string;
}

export interface MilestoneFacts {
  title: string;
  /** The project's code, or null for a programme commitment. */
  project: string | null;
  baselineDate: string | null;
}

export interface MetricFacts {
  name: string;
  unit: string;
  scale: number;
}

/**
 * What a description may know, prepared for a whole list at once (one query per table).
 * Descriptions are for a committee page: names, not codes or ids.
 */
export interface DescribeContext {
  /** Technical label: "MEAFORD · LGF · unprofiled (allocation 3)". */
  allocation(id: number): string;
  allocationFacts(id: number): AllocationFacts | undefined;
  /** A project's name ("Meaford employment site"); its code when unknown. */
  projectName(code: string): string;
  kindLabel(code: string): string;
  milestone(id: number): MilestoneFacts | undefined;
  metric(code: string): MetricFacts | undefined;
  /** Approved: descriptions speak of what happened ("Moved"); otherwise of the proposal ("Move"). */
  done: boolean;
  /** What approval recorded as before (approved changes only; null otherwise). */
  before: unknown;
}

/** What a change can touch above any one project; change-access.ts says who may change each. */
export type ProgrammeLevel = 'programme money' | 'deal commitments' | 'programme targets';

/** Rows a payload refers to, so a list's descriptions are prepared with one query per table. */
export interface PayloadReferences {
  allocations?: number[];
  milestones?: number[];
}

/** A new approved allocation, as a kind asks the approval service to create it. */
export interface NewAllocation {
  sourceKind: string;
  projectId: number | null;
  poolId: number | null;
  periodKind: PeriodKind;
  yearFrom: number | null;
  yearTo: number | null;
  amountPence: number;
  commitmentStatus: CommitmentStatus;
  description: string | null;
  /**
   * Where the money comes from: a row derived from another (a year split off by reprofile_years)
   * keeps that row's document and quote. The row also names the change request that created it.
   */
  source?: Provenance;
}

/** An allocation as recorded in a change's before/after and in the audit trail. */
export interface AllocationSnapshot {
  id: number;
  sourceKind: string;
  project: string | null;
  pool: string | null;
  period: string;
  amount: string;
  commitmentStatus: CommitmentStatus;
}

/**
 * The only door to approved allocations and envelopes. Instances exist only inside
 * ApprovalService.approve's transaction; kinds receive one and cannot make their own.
 * Every call writes its own audit entry (before/after, linked to the change request).
 */
export interface ApprovedWrites {
  readonly changeNumber: number;
  allocation(id: number): Promise<Allocation>;
  adjustAllocation(id: number, deltaPence: number): Promise<{ before: AllocationSnapshot; after: AllocationSnapshot }>;
  reperiodAllocation(
    id: number,
    period: Pick<NewAllocation, 'periodKind' | 'yearFrom' | 'yearTo'>,
    amountPence: number,
  ): Promise<{ before: AllocationSnapshot; after: AllocationSnapshot }>;
  createAllocation(spec: NewAllocation): Promise<AllocationSnapshot>;
  withdrawAllocation(id: number): Promise<{ before: AllocationSnapshot; after: AllocationSnapshot }>;
  /** Moves a source kind's envelope by `deltaPence`; returns the envelope before and after, in pence. */
  moveEnvelope(sourceKind: string, deltaPence: number): Promise<{ beforePence: number; afterPence: number }>;
  /** An audit entry for a non-money write a kind makes (a project's status), tagged with the change. */
  record(r: AuditRecord): Promise<void>;
}

export interface ApplyResult {
  before: unknown;
  after: unknown;
}

/**
 * What a change-request kind provides. Register one with ChangeKindRegistry.register; the
 * lifecycle (draft, submit, approve, reject) and the envelope check are the same for all.
 */
export interface ChangeKindHandler<P = unknown> {
  readonly kind: string;
  /** Plain English for lists ("Virement: move money between allocations"). */
  readonly label: string;
  /** Checks the payload against current data. No problems means it can be applied now. */
  validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]>;
  /** Applies a validated payload inside the approval transaction; returns what changed. */
  apply(m: EntityManager, programme: Programme, payload: P, actor: Actor, writes: ApprovedWrites): Promise<ApplyResult>;
  /** One or two sentences a committee member can read. */
  describe(payload: P, ctx: DescribeContext): string;
  /** Allocations the payload names (so descriptions can label them with one query). */
  allocationIds?(payload: P): number[];
  /** Other rows the payload names (milestones), for the same reason. */
  references?(payload: P): PayloadReferences;
  /** Projects the change touches (for filtering lists by project, and for programme managers' scope). */
  projectIds?(m: EntityManager, programme: Programme, payload: P): Promise<number[]>;
  /**
   * Programme-level records the change touches beyond the allocations and milestones it names
   * (those are looked up by change-access.ts): new pool or programme allocations, envelope
   * headroom, programme targets. Decides who may propose it.
   */
  programmeLevels?(m: EntityManager, programme: Programme, payload: P): Promise<ProgrammeLevel[]>;
}

/**
 * The kinds the system knows. Features add their own at start-up, e.g. the spend feature can
 * register `reprofile_spend` (calling SpendService.applyBaseline in apply) and milestones can
 * register `rebaseline` (MilestonesService.rebaseline): inject this registry and call register
 * in onModuleInit. Nothing else changes: approval, envelope check and audit come with it.
 */
@Injectable()
export class ChangeKindRegistry {
  private readonly handlers = new Map<string, ChangeKindHandler<any>>();

  register(handler: ChangeKindHandler<any>): void {
    if (this.handlers.has(handler.kind)) throw new Error(`change request kind "${handler.kind}" is registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  get(kind: string): ChangeKindHandler<any> | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()].sort();
  }

  list(): { kind: string; label: string }[] {
    return this.kinds().map((k) => ({ kind: k, label: this.handlers.get(k)!.label }));
  }
}
