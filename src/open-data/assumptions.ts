import { EntityManager } from 'typeorm';
import { OpenDataAssumption } from './open-data-assumption.entity';

/**
 * Default assumptions for the 360Giving export. Generic ones apply to any programme; the
 * 2014 deal's are the best reading of its words, not statements it makes. All are editable
 * through the admin API and every one is published as "not from source".
 */
export interface AssumptionDefault {
  key: string;
  value: string;
  note: string;
}

export const GENERIC_ASSUMPTIONS: AssumptionDefault[] = [
  {
    key: 'grantIdPrefix',
    value: '360G-GDT',
    note: 'A 360Giving publisher prefix has not been registered; this placeholder prefix makes grant ids unique within this file.',
  },
  {
    key: 'funder.LGF.name',
    value: 'Department for Communities and Local Government (Local Growth Fund)',
    note: 'The deal names the Government; the paying department is assumed.',
  },
  { key: 'funder.LGF.id', value: 'GB-GOR-D4', note: 'org-id.guide identifier assumed for the department.' },
  {
    key: 'funder.LGF_PROVISIONAL.name',
    value: 'Department for Communities and Local Government (Local Growth Fund)',
    note: 'As for the Local Growth Fund award.',
  },
  { key: 'funder.LGF_PROVISIONAL.id', value: 'GB-GOR-D4', note: 'As for the Local Growth Fund award.' },
  {
    key: 'funder.LGF_PRECOMMITTED.name',
    value: 'Department for Transport',
    note: 'Previously committed funding is for major transport schemes; the department is assumed.',
  },
  {
    key: 'funder.LGF_PRECOMMITTED.id',
    value: 'GB-GOR-D9',
    note: 'org-id.guide identifier assumed for the Department for Transport.',
  },
  {
    key: 'funder.LOCAL_MATCH.name',
    value: 'Local Enterprise Partnership partners (local match)',
    note: 'The deal says "LEP partners" without naming which partner pays.',
  },
  {
    key: 'funder.LOCAL_MATCH.id',
    value: '360G-GDT-LOCAL-PARTNERS',
    note: 'No organisation identifier exists for the partners as a group.',
  },
  {
    key: 'funder.PRIVATE_MATCH.name',
    value: 'Private sector contributors',
    note: 'The deal does not name the private contributors.',
  },
  {
    key: 'funder.PRIVATE_MATCH.id',
    value: '360G-GDT-PRIVATE-SECTOR',
    note: 'No organisation identifier exists for unnamed private contributors.',
  },
  {
    key: 'funder.REVENUE_GRANT.name',
    value: 'Department for Business, Innovation and Skills (growth hub revenue grant)',
    note: 'The paying department is assumed.',
  },
  { key: 'funder.REVENUE_GRANT.id', value: 'GB-GOR-D6', note: 'org-id.guide identifier assumed for the department.' },
  { key: 'beneficiary.geoCodeType', value: 'LEP', note: 'geoCodeType code for a Local Enterprise Partnership area.' },
];

/** Assumptions for the 2014 Stoke-on-Trent and Staffordshire deal. */
export const PROGRAMME_ASSUMPTIONS: Record<string, AssumptionDefault[]> = {
  'SSLEP-GD-2014': [
    {
      key: 'grantIdPrefix',
      value: '360G-SSLEP',
      note: 'A 360Giving publisher prefix has not been registered; assumed.',
    },
    {
      key: 'awardDate',
      value: '2014-07-07',
      note: 'The committee report says Government announced the Growth Deals "On the 7th July 2014"; used as the award date of every grant.',
    },
    {
      key: 'beneficiary.name',
      value: 'Stoke-on-Trent and Staffordshire Local Enterprise Partnership area',
      note: 'The LEP area the deal covers.',
    },
    {
      key: 'beneficiary.geoCode',
      value: 'E37000032',
      note: 'ONS code assumed for the Stoke-on-Trent and Staffordshire LEP area (2014 LEP boundaries); check against the ONS register.',
    },
    { key: 'org.SSLEP.id', value: '360G-SSLEP-ORG-SSLEP', note: 'No organisation identifier is given for the LEP.' },
    {
      key: 'accountableBody',
      value: 'STAFFS-CC',
      note: 'The deal speaks of the LEP "working with its accountable Local Authorities" without naming the one that receives the Local Growth Fund; Staffordshire County Council is assumed as the accountable body that awards it to each promoter.',
    },
    {
      key: 'recipient.programme',
      value: 'SSLEP',
      note: 'Programme-level money (the growth hub grant) is assumed to go to the LEP.',
    },
    {
      key: 'recipient.project.ETRURIA',
      value: 'STOKE-CC',
      note: 'The deal names no recipient; the scheme is in Stoke-on-Trent.',
    },
    {
      key: 'recipient.project.LICHFIELD',
      value: 'LICHFIELD-DC',
      note: 'The deal names no recipient; the site is in Lichfield district.',
    },
    {
      key: 'recipient.project.MEAFORD',
      value: 'STAFFS-CC',
      note: 'The deal names no recipient; the county council is assumed.',
    },
    {
      key: 'recipient.project.BERICOTE',
      value: 'STAFFS-CC',
      note: 'The deal names no recipient; the county council is assumed.',
    },
    {
      key: 'recipient.project.BRANSTON',
      value: 'ESTAFFS-BC',
      note: 'The deal names no recipient; the site is in East Staffordshire.',
    },
    {
      key: 'recipient.project.SWAR',
      value: 'STAFFS-CC',
      note: 'The deal names no recipient; the county council is the highway authority.',
    },
    {
      key: 'recipient.project.LSTP',
      value: 'STAFFS-CC',
      note: 'The deal names no recipient; the county council is assumed.',
    },
    {
      key: 'recipient.project.AMSH',
      value: 'STAFFS-CC',
      note: 'The deal names no recipient; the county council is assumed.',
    },
    {
      key: 'recipient.pool.SITES-PRIVATE',
      value: 'STAFFS-CC',
      note: 'Pooled private match goes to the pool’s lead body; the county council is assumed.',
    },
    {
      key: 'recipient.pool.CONNECTIVITY-PRIVATE',
      value: 'STAFFS-CC',
      note: 'Pooled private match goes to the pool’s lead body; the county council is assumed.',
    },
  ],
};

/** Every default for a programme: its own over the generic ones. */
export function defaultsFor(programmeCode: string): AssumptionDefault[] {
  const own = PROGRAMME_ASSUMPTIONS[programmeCode] ?? [];
  const keys = new Set(own.map((a) => a.key));
  return [...GENERIC_ASSUMPTIONS.filter((a) => !keys.has(a.key)), ...own];
}

/** Loading a deal also stores its default assumptions (in the loader's transaction), so they can be edited. */
export async function loadDefaultAssumptions(
  m: EntityManager,
  programme: { id: number; code: string },
): Promise<number> {
  const now = new Date().toISOString();
  const rows = defaultsFor(programme.code).map((d) => ({
    programmeId: programme.id,
    key: d.key,
    value: d.value,
    note: d.note,
    updatedAt: now,
  }));
  if (rows.length) await m.insert(OpenDataAssumption, rows);
  return rows.length;
}
