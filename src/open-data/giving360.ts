import Decimal from 'decimal.js';
import { exactPence, formatPounds, type Money } from '../common/money';

/**
 * Pure 360Giving builder. It publishes only money awarded through the programme (DESIGN,
 * Clarifications 2026-12): confirmed awards of a source kind that is not match funding. The
 * Local Growth Fund reaches a promoter through the accountable body, so the accountable body is
 * the funding organisation (an assumption, listed as not from source) and the government
 * department the money came from is named in additional_data. Match funding is not awarded by
 * the funder and is left out; provisional money is not yet awarded and is left out. One grant
 * per project × source kind; a pool's money is one grant to the pool's lead body, flagged as
 * pooled; programme-level money is one grant to the programme's recipient. A grant whose
 * amount an approved change request moved, or that illustrative data touched, says so in
 * additional_data (changed, agreedAmountPounds, changeRequests, illustrative).
 */

/** What the package leaves out, said in its description and in the README. */
export const GIVING360_SCOPE =
  'Only money awarded through the programme is published: confirmed Local Growth Fund awards (and any other confirmed award that is not match funding), paid by the government to the accountable body and awarded by it to the project promoter. Match funding (local partners’ and private contributions) is not awarded by the funder and is not published as grants. Provisional allocations are not yet awarded and are not published.';

/** The change-control facts of one grant: the deal as agreed beside what is approved now. */
export interface GrantChanges {
  agreedPence: Money;
  changed: boolean;
  illustrative: boolean;
  changeRequests: { number: number; title: string; deltaPence: Money; illustrative: boolean }[];
}

export interface GrantGroup {
  programme: string;
  projectCode: string | null;
  poolCode: string | null;
  sourceKind: string;
  commitmentStatus: string;
  /** A SQL sum: exact (a bigint only past 2^53 pence). */
  pence: Money;
  illustrative: boolean;
}

export interface Giving360Input {
  programmes: {
    code: string;
    name: string;
    description: string | null;
    startsOn: string;
    endsOn: string;
    lepOrgCode: string | null;
  }[];
  groups: GrantGroup[];
  projects: Map<string, { name: string; description: string | null; leadOrgCode: string | null }>; // key "PROG|CODE"
  pools: Map<string, { name: string; description: string | null; members: string[] }>; // key "PROG|CODE"
  orgs: Map<string, { name: string; identifier: string | null; identifierAssumed: boolean }>;
  kinds: Map<string, { label: string; description: string | null; isMatch: boolean }>;
  /** Per programme code: key -> value (defaults already merged with the table). */
  assumptions: Map<string, Map<string, string>>;
  /** Key "PROG|PROJECT|POOL|SOURCE" (empty codes for none): agreed vs now of that line. */
  changes?: Map<string, GrantChanges>;
  issued: string;
}

/**
 * Pounds as a JSON number from exact pence ("2400000.00" -> 2400000); exact for two places up
 * to 2^53 pence. 360Giving requires a number; past that a double cannot hold every penny, and
 * additional_data.amountPounds carries the exact figure.
 */
export function poundsNumber(pence: Money): number {
  return new Decimal(exactPence(pence).toString()).dividedBy(100).toNumber();
}

export function build360Giving(input: Giving360Input) {
  const grants: Record<string, unknown>[] = [];
  // One grant per recipient × source kind, of confirmed money only.
  // Exact sums: a recipient's grant may pass 2^53 pence.
  const merged = new Map<string, { g: GrantGroup; pence: bigint; statuses: Set<string>; illustrative: boolean }>();
  for (const g of input.groups) {
    // Confirmed awards only; match funding is not awarded by the funder.
    if (g.commitmentStatus !== 'confirmed') continue;
    if (input.kinds.get(g.sourceKind)?.isMatch) continue;
    const key = [g.programme, g.projectCode ?? '', g.poolCode ?? '', g.sourceKind].join('|');
    const m = merged.get(key) ?? { g, pence: 0n, statuses: new Set<string>(), illustrative: false };
    m.pence += exactPence(g.pence);
    m.statuses.add(g.commitmentStatus);
    m.illustrative ||= g.illustrative;
    merged.set(key, m);
  }
  const progByCode = new Map(input.programmes.map((p) => [p.code, p]));
  for (const { g, pence, statuses, illustrative } of merged.values()) {
    if (pence <= 0n) continue;
    const prog = progByCode.get(g.programme)!;
    const a = input.assumptions.get(g.programme) ?? new Map<string, string>();
    const notFromSource: string[] = [];
    const assumed = (key: string, fallback: string, field: string) => {
      notFromSource.push(field);
      return a.get(key) ?? fallback;
    };
    const prefix = a.get('grantIdPrefix') ?? '360G-GDT';
    const org = (code: string, field: string) => {
      const o = input.orgs.get(code);
      const id = o?.identifier ?? a.get(`org.${code}.id`) ?? `${prefix}-ORG-${code}`;
      if (!o?.identifier || o.identifierAssumed) notFromSource.push(`${field}.id`);
      return { id, name: o?.name ?? code };
    };
    const kind = input.kinds.get(g.sourceKind) ?? { label: g.sourceKind, description: null, isMatch: false };
    let title: string;
    let description: string;
    let recipientCode: string;
    let pooled: { pool: string; projects: string[] } | null = null;
    if (g.projectCode) {
      const p = input.projects.get(`${g.programme}|${g.projectCode}`)!;
      title = `${p.name}: ${kind.label}`;
      description = p.description ?? p.name;
      recipientCode =
        p.leadOrgCode ??
        assumed(`recipient.project.${g.projectCode}`, prog.lepOrgCode ?? 'LEP', 'recipientOrganization');
    } else if (g.poolCode) {
      const p = input.pools.get(`${g.programme}|${g.poolCode}`)!;
      title = `${p.name}: ${kind.label} (pooled)`;
      description = `${p.description ?? p.name} Pooled: one grant for ${p.members.length} projects (${p.members.join(', ')}) to the pool's lead body; the deal does not split it.`;
      recipientCode = assumed(`recipient.pool.${g.poolCode}`, prog.lepOrgCode ?? 'LEP', 'recipientOrganization');
      pooled = { pool: g.poolCode, projects: p.members };
    } else {
      title = `${prog.name}: ${kind.label} (programme as a whole)`;
      description = `${kind.description ?? kind.label} for the programme as a whole.`;
      recipientCode = assumed('recipient.programme', prog.lepOrgCode ?? 'LEP', 'recipientOrganization');
    }
    const recipient = org(recipientCode, 'recipientOrganization');
    const changed = input.changes?.get([g.programme, g.projectCode ?? '', g.poolCode ?? '', g.sourceKind].join('|'));
    // The government pays the accountable body, which awards the grant to the promoter.
    notFromSource.push('route.fundedBy');
    const government = {
      id: a.get(`funder.${g.sourceKind}.id`) ?? `${prefix}-FUNDER-${g.sourceKind}`,
      name: a.get(`funder.${g.sourceKind}.name`) ?? kind.label,
    };
    const funder = org(
      assumed('accountableBody', prog.lepOrgCode ?? 'LEP', 'fundingOrganization'),
      'fundingOrganization',
    );
    const awardDate = assumed('awardDate', prog.startsOn, 'awardDate');
    const geo = {
      name: a.get('beneficiary.name') ?? prog.name,
      geoCode: assumed('beneficiary.geoCode', '', 'beneficiaryLocation.geoCode'),
      geoCodeType: a.get('beneficiary.geoCodeType') ?? 'LEP',
      countryCode: 'GB',
    };
    const classifications = [
      { vocabulary: 'growth-deal:source-kind', code: g.sourceKind, title: kind.label },
      ...[...statuses].sort().map((s) => ({
        vocabulary: 'growth-deal:commitment-status',
        code: s,
        title: s === 'provisional' ? 'Provisional: subject to conditions' : s[0].toUpperCase() + s.slice(1),
      })),
      ...(pooled
        ? [{ vocabulary: 'growth-deal:funding-role', code: 'POOLED', title: 'Pooled across several projects' }]
        : []),
    ];
    grants.push({
      id: [prefix, g.programme, g.projectCode ?? (g.poolCode ? `POOL-${g.poolCode}` : 'PROGRAMME'), g.sourceKind].join(
        '-',
      ),
      title,
      description,
      currency: 'GBP',
      amountAwarded: poundsNumber(pence),
      awardDate,
      plannedDates: [{ startDate: prog.startsOn, endDate: prog.endsOn }],
      recipientOrganization: [recipient],
      fundingOrganization: [funder],
      beneficiaryLocation: [geo],
      grantProgramme: [{ code: prog.code, title: prog.name }],
      classifications,
      additional_data: {
        sourceKind: g.sourceKind,
        amountPounds: formatPounds(pence),
        commitmentStatus: 'confirmed',
        route: {
          fundedBy: government,
          accountableBody: funder,
          promoter: recipient,
          words: `${government.name} pays the accountable body (${funder.name}), which awards the grant to ${recipient.name}.`,
        },
        matchFunding: false,
        pooled,
        illustrative: illustrative || !!changed?.illustrative,
        changed: changed?.changed ?? false,
        agreedAmountPounds: formatPounds(changed?.agreedPence ?? pence),
        changeRequests: (changed?.changeRequests ?? []).map((c) => ({
          number: c.number,
          title: c.title,
          deltaPounds: formatPounds(c.deltaPence),
          illustrative: c.illustrative,
        })),
        notFromSource: [...new Set(notFromSource)].sort(),
      },
    });
  }
  grants.sort((x, y) => ((x.id as string) < (y.id as string) ? -1 : 1));
  return {
    version: '1.4',
    title: 'Growth Deal awards',
    description: `Growth Deal awards to project promoters, from the approved allocations. ${GIVING360_SCOPE} Fields listed in each grant's additional_data.notFromSource are assumptions, not statements of the source documents. additional_data.changed and changeRequests say where an approved change request moved an award from the deal as agreed (agreedAmountPounds); additional_data.illustrative marks awards touched by illustrative demo data.`,
    issued: input.issued,
    publisher: { name: 'Growth Deal tracker' },
    grants,
  };
}
