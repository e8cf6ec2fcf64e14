import { parsePeriod } from '../funding/period';
import Ajv from 'ajv';
import { DomainError } from '../common/errors';
import { parseDate, parseFiscalYear, parseQuarter } from '../common/fiscal';
import { parseAmount } from '../common/money';
import { DealSeed } from './deal-seed.types';
import { DEAL_SEED_SCHEMA } from './seed-schema';

export class SeedFileError extends DomainError {
  constructor(file: string, problems: { path: string; problem: string }[]) {
    super('SEED_INVALID', `${file}: ${problems.map((p) => `${p.path || '/'}: ${p.problem}`).join('; ')}`, 422, {
      file,
      problems,
    });
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(DEAL_SEED_SCHEMA);

/** Checks a parsed seed file's shape and references; returns it typed or throws naming file and path. */
export function validateDealSeed(file: string, data: unknown): DealSeed {
  if (!validateShape(data)) {
    throw new SeedFileError(
      file,
      (validateShape.errors ?? [])
        .slice(0, 20)
        .map((e) => ({ path: e.instancePath, problem: friendly(e.message, e.params as Record<string, unknown>) })),
    );
  }
  const seed = data as unknown as DealSeed;
  const problems: { path: string; problem: string }[] = [];
  const tryParse = (path: string, fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      problems.push({ path, problem: (e as Error).message });
    }
  };
  tryParse('/programme/startsOn', () => parseDate(seed.programme.startsOn));
  tryParse('/programme/endsOn', () => parseDate(seed.programme.endsOn));
  if (seed.programme.monitoringEndsOn !== undefined) {
    const end = seed.programme.monitoringEndsOn;
    tryParse('/programme/monitoringEndsOn', () => {
      parseDate(end);
      if (end < seed.programme.endsOn) throw new Error(`must be on or after endsOn (${seed.programme.endsOn})`);
    });
  }
  tryParse('/programme/firstQuarter', () => parseQuarter(seed.programme.firstQuarter));
  const asOf = seed.programme.asOfDate;
  if (asOf !== undefined) tryParse('/programme/asOfDate', () => parseDate(asOf));
  const unique = (list: { code?: string; ref?: string }[] | undefined, path: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((x, i) => {
      const k = (x.code ?? x.ref) as string;
      if (seen.has(k)) problems.push({ path: `${path}/${i}`, problem: `duplicate code "${k}"` });
      seen.add(k);
    });
    return seen;
  };
  const orgs = unique(seed.organisations, '/organisations');
  const themes = unique(seed.themes, '/themes');
  const projects = unique(seed.projects, '/projects');
  const pools = unique(seed.pools, '/pools');
  unique(seed.allocations, '/allocations');
  const headlines = unique(seed.headlines, '/headlines');
  unique(seed.commitments, '/commitments');
  if (seed.programme.lep && !orgs.has(seed.programme.lep))
    problems.push({ path: '/programme/lep', problem: `unknown organisation "${seed.programme.lep}"` });
  seed.projects.forEach((p, i) => {
    if (p.theme && !themes.has(p.theme))
      problems.push({ path: `/projects/${i}/theme`, problem: `unknown theme "${p.theme}"` });
    if (p.leadBody && !orgs.has(p.leadBody))
      problems.push({ path: `/projects/${i}/leadBody`, problem: `unknown organisation "${p.leadBody}"` });
  });
  (seed.pools ?? []).forEach((p, i) =>
    p.projects.forEach((c, j) => {
      if (!projects.has(c)) problems.push({ path: `/pools/${i}/projects/${j}`, problem: `unknown project "${c}"` });
    }),
  );
  seed.allocations.forEach((a, i) => {
    const path = `/allocations/${i}`;
    if (a.project && a.pool) problems.push({ path, problem: 'an allocation goes to a project or a pool, not both' });
    if (a.project && !projects.has(a.project))
      problems.push({ path: `${path}/project`, problem: `unknown project "${a.project}"` });
    if (a.pool && !pools.has(a.pool)) problems.push({ path: `${path}/pool`, problem: `unknown pool "${a.pool}"` });
    tryParse(`${path}/amount`, () => {
      if (parseAmount(a.amount) < 0) throw new Error('must not be negative');
    });
    tryParse(`${path}/period`, () => parsePeriod(a.period));
  });
  seed.headlines.forEach((h, i) => {
    const path = `/headlines/${i}`;
    if (h.unit === 'pounds' ? h.amount === undefined : h.value === undefined) {
      problems.push({
        path,
        problem: h.unit === 'pounds' ? 'a headline in pounds needs "amount"' : 'a count headline needs "value"',
      });
    }
    if (h.unit === 'pounds' && typeof h.precision !== 'string')
      problems.push({ path: `${path}/precision`, problem: 'must be pounds like "100000.00"' });
    for (const ref of h.rule.sumOf ?? [])
      if (!headlines.has(ref)) problems.push({ path: `${path}/rule/sumOf`, problem: `unknown headline "${ref}"` });
    for (const t of h.rule.allocations?.themes ?? [])
      if (!themes.has(t)) problems.push({ path: `${path}/rule/allocations/themes`, problem: `unknown theme "${t}"` });
    for (const y of h.rule.allocations?.years ?? [])
      tryParse(`${path}/rule/allocations/years`, () => parseFiscalYear(y));
  });
  (seed.commitments ?? []).forEach((c, i) => tryParse(`/commitments/${i}/due`, () => parseDate(c.due)));
  if (problems.length) throw new SeedFileError(file, problems);
  return seed;
}

function friendly(message: string | undefined, params: Record<string, unknown>): string {
  if (typeof params.pattern === 'string' && params.pattern.includes('\\.[0-9]{2}'))
    return 'must be pounds with exactly two decimal places, e.g. "2400000.00"';
  if (typeof params.pattern === 'string' && params.pattern.startsWith('^[A-Z0-9]'))
    return 'must be a code of upper-case letters, digits, dot, dash or underscore';
  if ('additionalProperty' in params) return `has an unknown field "${String(params.additionalProperty)}"`;
  return message ?? 'is invalid';
}
