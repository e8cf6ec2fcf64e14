import { displayPounds, parsePounds } from '../../common/money';
import { dateTime, longDate, ROLE_LABELS } from '../view-filters';

/**
 * The audit trail in words a person reads: "Changed the spend line: Forecast £1,000.00 →
 * £2,000.00". Pure. Pence become pounds, column-like names become labels, internal fields
 * (ids, versions, hashes, timestamps of the row itself) are left out.
 */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  projectId: number | null;
  entity: string;
  entityId: string | null;
  action: string;
  before: unknown;
  after: unknown;
  meta: Record<string, unknown> | null;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface AuditInWords {
  id: number;
  at: string;
  who: string;
  project: string | null;
  summary: string;
  changes: FieldChange[];
}

const THINGS: Record<string, string> = {
  allocation: 'allocation',
  api_token: 'API token',
  bulk_import: 'bulk import',
  change_request: 'change request',
  headline_figure: 'headline figure',
  milestone: 'milestone',
  open_data_assumption: 'open data assumption',
  organisation: 'organisation',
  output_actual: 'output claim',
  output_metric: 'output metric',
  output_target: 'output target',
  partner_update: 'partner update',
  programme: 'programme',
  programme_envelope: 'programme envelope',
  project: 'project',
  project_risk: 'risk',
  quarterly_update: 'quarterly update',
  return_version: 'quarterly return',
  spend_adjustment: 'prior-period adjustment',
  spend_profile: 'spend line',
  theme: 'theme',
  user: 'user',
};

const DOING: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  approve: 'Approved',
  reject: 'Rejected',
  submit: 'Submitted',
  withdraw: 'Withdrew',
  rebaseline: 'Re-baselined',
  revoke: 'Revoked',
  close: 'Closed',
  assign: 'Changed the projects of',
  lock: 'Locked',
  unlock: 'Unlocked',
  deactivate: 'Deactivated',
  reactivate: 'Reactivated',
  set_password: 'Set the password of',
  set_actual: 'Recorded the actual of',
  import: 'Imported',
  import_actuals: 'Imported actuals into',
  bulk_import: 'Imported',
  seed: 'Loaded',
  seed_demo: 'Loaded illustrative data into',
  set_rag_thresholds: 'Changed the RAG thresholds of',
  save_spend: 'Saved the spend of',
  save_milestones: 'Saved the milestones of',
  save_outputs: 'Saved the outputs of',
  save_narrative: 'Saved the narrative of',
  save_risks: 'Changed the risks of',
  review_risks: 'Reviewed the risks of',
  accept: 'Accepted',
  return: 'Returned for revision',
  confirm_spend: 'Confirmed the actual spend of',
};

/** Labels where a humanised name would read badly. */
const LABELS: Record<string, string> = {
  sourceKind: 'Source',
  claimKey: 'Claim key',
  rag: 'RAG',
  ragOverride: 'RAG override',
  fyFrom: 'From year',
  fyTo: 'To year',
};

/** Never shown: internal keys and anything that could be a secret. */
const HIDDEN =
  /^(id|version|createdAt|updatedAt|secret|secretSha256|token|passwordHash|password|sha256|contentHash|applied|.*Id|.*Ids)$/;
const MONEY_STRING = /^-?\d+\.\d{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function fieldLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  const base = key.replace(/Pence$/, '');
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One value as a person reads it; `key` tells pence from other numbers. */
export function valueInWords(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number' && /Pence$/.test(key) && Number.isSafeInteger(v)) return displayPounds(v);
  if (typeof v === 'string' && /Pence$/.test(key) && /^-?\d+$/.test(v)) return displayPounds(Number(v));
  if (typeof v === 'string' && MONEY_STRING.test(v) && !/quarter|year|code/i.test(key))
    return displayPounds(parsePounds(v));
  if (typeof v === 'string' && ISO_DATE.test(v)) return longDate(v);
  if (typeof v === 'string' && ISO_TIME.test(v)) return `${dateTime(v)} (UTC)`;
  if (key === 'role' && typeof v === 'string') return ROLE_LABELS[v] ?? v;
  if (typeof v === 'number') return v.toLocaleString('en-GB');
  if (Array.isArray(v)) {
    if (!v.length) return '–';
    return v.every((x) => typeof x !== 'object') ? v.join(', ') : `${v.length} items`;
  }
  if (typeof v === 'object') return '(details)';
  return String(v);
}

const asRecord = (x: unknown): Record<string, unknown> =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};

/** Field-by-field differences (create: everything set; delete: everything removed). */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN.test(k));
  const out: FieldChange[] = [];
  for (const k of keys) {
    if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
    const inB = k in b;
    const inA = k in a;
    out.push({
      field: fieldLabel(k),
      before: inB ? valueInWords(k, b[k]) : '–',
      after: inA ? valueInWords(k, a[k]) : '–',
    });
  }
  return out;
}

interface AppliedRow {
  entity: string;
  values: Record<string, unknown> | null;
}

/**
 * The figures an entry applied through other features' writes (an acceptance, a confirmation of
 * spend), each as its own changes: "Spend line LGF 2016-17 Q4: Actual £120,000.00 → £115,000.00".
 */
function appliedChanges(before: unknown, after: unknown): FieldChange[] {
  const list = (x: unknown) => (Array.isArray(asRecord(x).applied) ? (asRecord(x).applied as AppliedRow[]) : []);
  const b = list(before);
  return list(after).flatMap((a, i) => {
    const v = a.values ?? {};
    const what =
      typeof v.sourceKind === 'string'
        ? `${THINGS[a.entity] ?? a.entity} ${v.sourceKind} ${String(v.quarter ?? '')}`.trim()
        : `${THINGS[a.entity] ?? a.entity}${typeof v.title === 'string' ? ` “${v.title}”` : ''}`;
    const { sourceKind: _s, quarter: _q, ...rest } = v;
    const { sourceKind: _bs, quarter: _bq, ...was } = b[i]?.values ?? {};
    return fieldChanges(was, rest).map((c) => ({
      ...c,
      field: `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${c.field}`,
    }));
  });
}

export function inWords(row: AuditRow, projectNames: Map<number, string>): AuditInWords {
  const thing = THINGS[row.entity] ?? row.entity.replace(/_/g, ' ');
  const doing = DOING[row.action] ?? `${fieldLabel(row.action)}:`;
  const after = asRecord(row.after);
  const before = asRecord(row.before);
  const meta = row.meta ?? {};
  const named = [after.name, after.title, before.name, before.title, after.email, meta.name].find(
    (x) => typeof x === 'string',
  );
  const quarter =
    typeof after.quarter === 'string' ? after.quarter : typeof before.quarter === 'string' ? before.quarter : undefined;
  const summary = `${doing} the ${thing}${named ? ` “${String(named)}”` : ''}${quarter ? ` for ${quarter}` : ''}`;
  const extra: FieldChange[] = [];
  if (typeof meta.rows === 'number')
    extra.push({ field: 'Rows', before: '', after: meta.rows.toLocaleString('en-GB') });
  if (typeof meta.reason === 'string') extra.push({ field: 'Reason', before: '', after: meta.reason });
  return {
    id: row.id,
    at: row.at,
    who: row.actor,
    project: row.projectId ? (projectNames.get(row.projectId) ?? null) : null,
    summary,
    changes: [...fieldChanges(row.before, row.after), ...appliedChanges(row.before, row.after), ...extra],
  };
}
