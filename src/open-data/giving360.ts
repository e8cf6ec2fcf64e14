import Decimal from 'decimal.js';
import { exactPence, formatPounds, type Money } from '../common/money';

/**
 * Pure 360Giving builder: one grant per project × source of funding (a pool's money is one
 * grant to the pool's lead body, flagged as pooled; programme-level money is one grant to the
 * programme's recipient). Whatever the source does not state comes from the assumptions and
 * is listed in each grant's additional_data.notFromSource.
 */

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
  // Sum commitment statuses together: one grant per recipient × source, statuses listed.
  // Exact sums: a recipient's grant may pass 2^53 pence.
  const merged = new Map<string, { g: GrantGroup; pence: bigint; statuses: Set<string>; illustrative: boolean }>();
  for (const g of input.groups) {
    if (g.commitmentStatus === 'withdrawn') continue;
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
    const funder = {
      id: assumed(`funder.${g.sourceKind}.id`, `${prefix}-FUNDER-${g.sourceKind}`, 'fundingOrganization'),
      name: a.get(`funder.${g.sourceKind}.name`) ?? kind.label,
    };
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
      ...(kind.isMatch ? [{ vocabulary: 'growth-deal:funding-role', code: 'MATCH', title: 'Match funding' }] : []),
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
      ...(kind.isMatch ? { regrantType: 'FRG030' } : {}),
      additional_data: {
        sourceKind: g.sourceKind,
        amountPounds: formatPounds(pence),
        matchFunding: kind.isMatch,
        pooled,
        illustrative,
        notFromSource: [...new Set(notFromSource)].sort(),
      },
    });
  }
  grants.sort((x, y) => ((x.id as string) < (y.id as string) ? -1 : 1));
  return {
    version: '1.4',
    title: 'Growth Deal awards',
    description:
      "Local Growth Fund awards and match funding promised to Growth Deal projects, from the approved allocations. Fields listed in each grant's additional_data.notFromSource are assumptions, not statements of the source documents.",
    issued: input.issued,
    publisher: { name: 'Growth Deal tracker' },
    grants,
  };
}
