import { EntityManager } from 'typeorm';
import { ConflictError, DomainError, NotFoundError, RuleViolationError, ValidationError } from '../common/errors';
import { formatPounds } from '../common/money';
import { Programme } from '../programmes/programme.entity';
import { ChangeRequest, ChangeState } from './change-request.entity';
import { EnvelopeBreach } from './engine/money-lines';
import { ChangeProblem } from './kinds/kind';

export async function findChange(m: EntityManager, programmeId: number, number: number): Promise<ChangeRequest> {
  const cr = await m.findOne(ChangeRequest, { where: { programmeId, number } });
  if (!cr) throw new NotFoundError('change request', number, 'number');
  return cr;
}

/** Serialises decisions within one programme on PostgreSQL (SQLite already runs writes one at a time). */
export async function lockProgramme(m: EntityManager, programmeId: number): Promise<void> {
  if (m.connection.options.type !== 'postgres') return;
  await m
    .createQueryBuilder(Programme, 'p')
    .setLock('pessimistic_write')
    .where('p.id = :id', { id: programmeId })
    .getOne();
}

/** 409 naming the state when a step is not allowed from it (approve twice, decide a draft). */
export function assertState(cr: ChangeRequest, allowed: ChangeState[], step: string): void {
  if (allowed.includes(cr.state)) return;
  throw new ConflictError(
    'CHANGE_REQUEST_STATE',
    `change request ${cr.number} is ${cr.state}: only a ${allowed.join(' or ')} change request can be ${step}`,
    { field: 'state', state: cr.state, allowed },
  );
}

/** Payload problems become one error: 400 when malformed, else 422 with the first problem's rule. */
export function throwIfProblems(problems: ChangeProblem[]): void {
  if (!problems.length) return;
  const malformed = problems.filter((p) => p.code === 'INVALID');
  if (malformed.length) throw new ValidationError(malformed.map(({ field, problem }) => ({ field, problem })));
  const first = problems.find((p) => p.code === 'UNKNOWN_REFERENCE') ?? problems[0];
  throw new DomainError(first.code, problems.map((p) => `${p.field}: ${p.problem}`).join('; '), 422, {
    field: first.field,
    problems,
  });
}

export { sameActor } from '../auth/actor';

export class SeparationOfDutiesError extends DomainError {
  constructor(number: number, who: string) {
    super(
      'SEPARATION_OF_DUTIES',
      `change request ${number} was submitted by ${who}: someone else must decide it (separation of duties)`,
      403,
      { field: 'actor' },
    );
  }
}

export class EnvelopeExceededError extends RuleViolationError {
  constructor(breaches: EnvelopeBreach[]) {
    super(
      'ENVELOPE_EXCEEDED',
      breaches
        .map(
          (b) =>
            `${b.sourceKind}: approving this change would take approved ${b.sourceKind} allocations to ${formatPounds(b.totalPence)}, above the programme's ${b.sourceKind} envelope of ${formatPounds(b.envelopePence)} by ${formatPounds(b.excessPence)}`,
        )
        .join('; ') + '. Raise the envelope with an approved envelope_change first, or change the request.',
      'payload',
      {
        breaches: breaches.map((b) => ({
          sourceKind: b.sourceKind,
          envelope: formatPounds(b.envelopePence),
          total: formatPounds(b.totalPence),
          excess: formatPounds(b.excessPence),
        })),
      },
    );
  }
}

/** "|12|7|": stored so a list can filter by project with one LIKE. */
export function projectIdsText(ids: number[]): string | null {
  const u = [...new Set(ids)].sort((a, b) => a - b);
  return u.length ? `|${u.join('|')}|` : null;
}

/** The ids of a stored "|12|7|" (none for null). */
export function projectIdsOf(text: string | null): number[] {
  return text ? text.split('|').filter(Boolean).map(Number) : [];
}

/**
 * What a step of a change request (submit, reject, withdraw, approve) changes on it, as its audit
 * entry's before and after hold it: the state, who submitted and decided it and when, the
 * decision's reason and the lock.
 */
export function stepFields(cr: ChangeRequest) {
  return {
    state: cr.state,
    submittedBy: cr.submittedBy,
    submittedAt: cr.submittedAt,
    decidedBy: cr.decidedBy,
    decidedAt: cr.decidedAt,
    decisionReason: cr.decisionReason,
    version: cr.version,
  };
}
