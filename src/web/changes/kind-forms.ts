import { FieldProblem } from '../../common/errors';
import { dateBoxes, parseDateInput } from '../forms/date-input';
import { parseMoneyInput } from '../forms/money-input';

/**
 * The form of each change-request kind: which boxes it shows (projects, allocations, quarters
 * chosen from lists labelled by name, never typed ids) and how a posted form becomes the kind's
 * payload. Only reading: every rule about the payload is the kind's own `validate`, whose
 * problems come back through `fieldFor` to the box that caused them. Pure.
 */
export type OptionSet =
  | 'projects'
  | 'sourceKinds'
  | 'quarters'
  | 'years'
  | 'allocations'
  | 'milestones'
  | 'metrics'
  | 'themes'
  | 'organisations'
  | 'commitments'
  | 'reductionModes'
  | 'addStatuses'
  | 'targetHolders'
  | 'allocationsOrHeadroom';

export interface Option {
  value: string;
  text: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  type: 'select' | 'radios' | 'money' | 'text' | 'textarea' | 'date' | 'number';
  options?: OptionSet;
  hint?: string;
}

/** Repeated lines (moves, periods, quarters): boxes named `<group>-<i>-<field>`; blank lines are skipped. */
export interface RowGroup {
  name: string;
  legend: string;
  hint?: string;
  count: number;
  fields: FieldSpec[];
}

export type Form = Record<string, unknown>;

export interface Built {
  payload?: Record<string, unknown>;
  problems: FieldProblem[];
  /** Payload field ("payload.lines[1].delta") → the box to name ("moves-0-amount"). */
  fields: Map<string, string>;
}

export interface KindForm {
  kind: string;
  intro: string;
  fields: FieldSpec[];
  rows?: RowGroup;
  build(r: FormReader): Built;
}

export const rowField = (group: string, i: number, field: string) => `${group}-${i}-${field}`;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Reads boxes, collecting the form's own problems (empty, not money, not a date) by box. */
export class FormReader {
  readonly problems: FieldProblem[] = [];
  constructor(readonly body: Form) {}

  raw(name: string): string {
    return text(this.body[name]);
  }

  required(name: string, message: string): string | undefined {
    const v = this.raw(name);
    if (!v) this.problems.push({ field: name, problem: message });
    return v || undefined;
  }

  money(name: string, label: string, opts: { allowNegative?: boolean } = {}): string | undefined {
    const m = parseMoneyInput(this.body[name], label, { required: true, ...opts });
    if (m.error) this.problems.push({ field: name, problem: m.error });
    return m.canonical;
  }

  date(name: string, label: string): string | undefined {
    const d = parseDateInput(dateBoxes(this.body, name), label);
    if (d.error) this.problems.push({ field: name, problem: d.error });
    return d.value;
  }

  /** The lines of a group with anything typed in them (or a date box of them). */
  filledRows(group: RowGroup): number[] {
    const out: number[] = [];
    for (let i = 0; i < group.count; i++) {
      const names = group.fields.flatMap((f) => {
        const n = rowField(group.name, i, f.name);
        return f.type === 'date' ? [`${n}-day`, `${n}-month`, `${n}-year`] : [n];
      });
      if (names.some((n) => this.raw(n))) out.push(i);
    }
    return out;
  }

  /** At least one line: the problem names the first line's first box. */
  someRows(group: RowGroup, message: string): number[] {
    const rows = this.filledRows(group);
    if (!rows.length) this.problems.push({ field: rowField(group.name, 0, group.fields[0].name), problem: message });
    return rows;
  }
}

/** Which box a payload problem belongs to: the field itself, else the nearest enclosing one mapped. */
export function fieldFor(fields: Map<string, string>, payloadField: string, fallback: string): string {
  let f = payloadField;
  for (;;) {
    const hit = fields.get(f);
    if (hit) return hit;
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) return fallback;
    f = f.slice(0, cut);
  }
}

const PROJECT: FieldSpec = { name: 'project', label: 'Project', type: 'select', options: 'projects' };
const SOURCE: FieldSpec = { name: 'sourceKind', label: 'Funding source', type: 'select', options: 'sourceKinds' };
const ALLOCATION: FieldSpec = {
  name: 'allocation',
  label: 'Allocation',
  type: 'select',
  options: 'allocations',
  hint: 'Who holds it, the funding source, its period and its approved amount',
};

/** A kind that names one project and nothing else (hold, withdraw, reinstate, complete). */
function projectOnly(kind: string, intro: string): KindForm {
  return {
    kind,
    intro,
    fields: [PROJECT],
    build(r) {
      const project = r.required('project', 'Choose the project');
      return { payload: { project }, problems: r.problems, fields: new Map([['payload.project', 'project']]) };
    },
  };
}

const MOVES: RowGroup = {
  name: 'moves',
  legend: 'Moves',
  hint: 'Each move takes an amount out of one quarter’s baseline and puts it into another. The total stays the same.',
  count: 3,
  fields: [
    { name: 'from', label: 'From quarter', type: 'select', options: 'quarters' },
    { name: 'to', label: 'To quarter', type: 'select', options: 'quarters' },
    { name: 'amount', label: 'Amount to move', type: 'money', hint: 'For example, £300,000' },
  ],
};

const reprofileSpend: KindForm = {
  kind: 'reprofile_spend',
  intro: 'Move a project’s approved (baseline) spend for one funding source between quarters and years.',
  fields: [PROJECT, SOURCE],
  rows: MOVES,
  build(r) {
    const project = r.required('project', 'Choose the project');
    const sourceKind = r.required('sourceKind', 'Choose the funding source');
    const fields = new Map([
      ['payload.project', 'project'],
      ['payload.sourceKind', 'sourceKind'],
      ['payload.lines', rowField('moves', 0, 'amount')],
    ]);
    // Moves become one signed line per quarter (the kind's payload), each remembering its box.
    const lines = new Map<string, { pence: bigint; quarterBox: string; amountBox: string }>();
    const add = (quarter: string, pence: bigint, quarterBox: string, amountBox: string) => {
      const l = lines.get(quarter);
      if (l) l.pence += pence;
      else lines.set(quarter, { pence, quarterBox, amountBox });
    };
    for (const i of r.someRows(MOVES, 'Enter at least one move: a from quarter, a to quarter and an amount')) {
      const box = (f: string) => rowField('moves', i, f);
      const from = r.required(box('from'), `Choose the quarter move ${i + 1} takes money from`);
      const to = r.required(box('to'), `Choose the quarter move ${i + 1} puts money into`);
      const amount = r.money(box('amount'), `Amount to move in move ${i + 1}`);
      if (from && to && from === to)
        r.problems.push({ field: box('to'), problem: `Move ${i + 1} must go to a different quarter from ${from}` });
      if (!from || !to || !amount || from === to) continue;
      const pence = BigInt(amount.replace('.', ''));
      add(from, -pence, box('from'), box('amount'));
      add(to, pence, box('to'), box('amount'));
    }
    const payloadLines = [...lines.entries()].filter(([, l]) => l.pence !== 0n);
    payloadLines.forEach(([, l], k) => {
      fields.set(`payload.lines[${k}].quarter`, l.quarterBox);
      fields.set(`payload.lines[${k}]`, l.amountBox);
    });
    const payload = {
      project,
      sourceKind,
      lines: payloadLines.map(([quarter, l]) => ({ quarter, delta: pounds(l.pence) })),
    };
    return { payload, problems: r.problems, fields };
  },
};

/** Signed pence → the canonical "-300000.00". */
function pounds(pence: bigint): string {
  const abs = pence < 0n ? -pence : pence;
  const p = abs % 100n;
  return `${pence < 0n ? '-' : ''}${abs / 100n}.${p < 10n ? '0' : ''}${p}`;
}

const PERIODS: RowGroup = {
  name: 'periods',
  legend: 'New split across years',
  hint: 'The amounts add up to the allocation. A year that already has an allocation of the same project and source takes the money into it.',
  count: 4,
  fields: [
    { name: 'period', label: 'Year', type: 'select', options: 'years' },
    { name: 'amount', label: 'Amount', type: 'money' },
  ],
};

const reprofileYears: KindForm = {
  kind: 'reprofile_years',
  intro: 'Split or move an allocation’s money across financial years. The total stays the same.',
  fields: [ALLOCATION],
  rows: PERIODS,
  build(r) {
    const allocation = r.required('allocation', 'Choose the allocation');
    const fields = new Map([
      ['payload.allocationId', 'allocation'],
      ['payload.periods', rowField('periods', 0, 'amount')],
    ]);
    const periods: { period: string | undefined; amount: string | undefined }[] = [];
    for (const i of r.someRows(PERIODS, 'Enter at least one year and amount')) {
      const box = (f: string) => rowField('periods', i, f);
      fields.set(`payload.periods[${periods.length}].period`, box('period'));
      fields.set(`payload.periods[${periods.length}]`, box('amount'));
      periods.push({
        period: r.required(box('period'), `Choose the year of line ${i + 1}`),
        amount: r.money(box('amount'), `Amount in line ${i + 1}`),
      });
    }
    return { payload: { allocationId: idOf(allocation), periods }, problems: r.problems, fields };
  },
};

/** A chosen option's id (the select's value; never typed). */
const idOf = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : v);

const QUARTERS: RowGroup = {
  name: 'quarters',
  legend: 'Baseline profile',
  hint: 'The whole profile for this funding source: quarters not listed are nil. The amounts add up to the allocation.',
  count: 8,
  fields: [
    { name: 'quarter', label: 'Quarter', type: 'select', options: 'quarters' },
    { name: 'amount', label: 'Baseline spend', type: 'money' },
  ],
};

const setBaseline: KindForm = {
  kind: 'set_baseline',
  intro: 'Set a project’s approved (baseline) spend profile for one funding source.',
  fields: [PROJECT, SOURCE],
  rows: QUARTERS,
  build(r) {
    const project = r.required('project', 'Choose the project');
    const sourceKind = r.required('sourceKind', 'Choose the funding source');
    const fields = new Map([
      ['payload.project', 'project'],
      ['payload.sourceKind', 'sourceKind'],
      ['payload.quarters', rowField('quarters', 0, 'amount')],
    ]);
    const quarters: unknown[] = [];
    for (const i of r.someRows(QUARTERS, 'Enter at least one quarter and its baseline')) {
      const box = (f: string) => rowField('quarters', i, f);
      fields.set(`payload.quarters[${quarters.length}].quarter`, box('quarter'));
      fields.set(`payload.quarters[${quarters.length}]`, box('amount'));
      quarters.push({
        quarter: r.required(box('quarter'), `Choose the quarter of line ${i + 1}`),
        amount: r.money(box('amount'), `Baseline spend in line ${i + 1}`),
      });
    }
    return { payload: { project, sourceKind, quarters }, problems: r.problems, fields };
  },
};

const envelopeChange: KindForm = {
  kind: 'envelope_change',
  intro: 'Raise or lower the approved envelope of one funding source (a minus sign lowers it).',
  fields: [
    SOURCE,
    { name: 'delta', label: 'Change to the envelope', type: 'money', hint: 'For example, £1,000,000 or -£500,000' },
  ],
  build(r) {
    const sourceKind = r.required('sourceKind', 'Choose the funding source');
    const delta = r.money('delta', 'Change to the envelope', { allowNegative: true });
    const fields = new Map([
      ['payload.sourceKind', 'sourceKind'],
      ['payload.delta', 'delta'],
    ]);
    return { payload: { sourceKind, delta }, problems: r.problems, fields };
  },
};

const reduceAllocation: KindForm = {
  kind: 'reduce_allocation',
  intro: 'Take money off an allocation: released to the programme’s headroom, or recovered by the funder.',
  fields: [
    ALLOCATION,
    { name: 'amount', label: 'Amount to take off', type: 'money' },
    { name: 'mode', label: 'Where the money goes', type: 'radios', options: 'reductionModes' },
    { name: 'why', label: 'Why the allocation is reduced', type: 'textarea' },
    { name: 'reference', label: 'Reference', type: 'text', hint: 'The board minute or the funder’s letter' },
  ],
  build(r) {
    const fields = new Map([
      ['payload.allocationId', 'allocation'],
      ['payload.amount', 'amount'],
      ['payload.mode', 'mode'],
      ['payload.reason', 'why'],
      ['payload.reference', 'reference'],
    ]);
    const payload = {
      allocationId: idOf(r.required('allocation', 'Choose the allocation')),
      amount: r.money('amount', 'Amount to take off'),
      mode: r.required('mode', 'Choose where the money goes'),
      reason: r.required('why', 'Enter why the allocation is reduced'),
      reference: r.required('reference', 'Enter the reference of the decision'),
    };
    return { payload, problems: r.problems, fields };
  },
};

const MILESTONES: RowGroup = {
  name: 'milestones',
  legend: 'New baseline dates',
  count: 3,
  fields: [
    { name: 'milestone', label: 'Milestone', type: 'select', options: 'milestones' },
    { name: 'date', label: 'New baseline date', type: 'date', hint: 'For example, 30 9 2016' },
  ],
};

const rebaselineMilestone: KindForm = {
  kind: 'rebaseline_milestone',
  intro: 'Give milestones new approved (baseline) dates.',
  fields: [],
  rows: MILESTONES,
  build(r) {
    const fields = new Map([['payload.milestones', rowField('milestones', 0, 'milestone')]]);
    const milestones: unknown[] = [];
    for (const i of r.someRows(MILESTONES, 'Choose at least one milestone and its new date')) {
      const box = (f: string) => rowField('milestones', i, f);
      fields.set(`payload.milestones[${milestones.length}].id`, box('milestone'));
      fields.set(`payload.milestones[${milestones.length}]`, box('date'));
      milestones.push({
        id: idOf(r.required(box('milestone'), `Choose the milestone of line ${i + 1}`)),
        baselineDate: r.date(box('date'), `New baseline date in line ${i + 1}`),
      });
    }
    return { payload: { milestones }, problems: r.problems, fields };
  },
};

const TARGETS: RowGroup = {
  name: 'targets',
  legend: 'New targets',
  count: 3,
  fields: [
    { name: 'holder', label: 'Project', type: 'select', options: 'targetHolders' },
    { name: 'metric', label: 'Output', type: 'select', options: 'metrics' },
    { name: 'target', label: 'New target', type: 'number', hint: 'In the output’s unit' },
  ],
};

const rebaselineTarget: KindForm = {
  kind: 'rebaseline_target',
  intro: 'Give output targets new values.',
  fields: [],
  rows: TARGETS,
  build(r) {
    const fields = new Map([['payload.targets', rowField('targets', 0, 'metric')]]);
    const targets: unknown[] = [];
    for (const i of r.someRows(TARGETS, 'Choose at least one output and its new target')) {
      const box = (f: string) => rowField('targets', i, f);
      const k = targets.length;
      fields.set(`payload.targets[${k}].project`, box('holder'));
      fields.set(`payload.targets[${k}].metric`, box('metric'));
      fields.set(`payload.targets[${k}]`, box('target'));
      const holder = r.required(box('holder'), `Choose whose target line ${i + 1} is`);
      targets.push({
        ...(holder && holder !== '*' ? { project: holder } : {}),
        metric: r.required(box('metric'), `Choose the output of line ${i + 1}`),
        target: r.required(box('target'), `Enter the new target in line ${i + 1}`)?.replace(/,/g, ''),
      });
    }
    return { payload: { targets }, problems: r.problems, fields };
  },
};

const NEW_ALLOCATIONS: RowGroup = {
  name: 'allocations',
  legend: 'Its allocations',
  hint: 'Leave the lines blank to add the project with no money yet.',
  count: 3,
  fields: [
    { name: 'sourceKind', label: 'Funding source', type: 'select', options: 'sourceKinds' },
    { name: 'period', label: 'Year', type: 'select', options: 'years' },
    { name: 'commitment', label: 'Commitment', type: 'select', options: 'commitments' },
    { name: 'amount', label: 'Amount', type: 'money' },
  ],
};

const addProject: KindForm = {
  kind: 'add_project',
  intro: 'Add a project to the programme, with its allocations.',
  fields: [
    {
      name: 'code',
      label: 'Project code',
      type: 'text',
      hint: 'Capital letters, digits, dot, dash or underscore, e.g. KIDSGROVE',
    },
    { name: 'name', label: 'Project name', type: 'text' },
    { name: 'theme', label: 'Theme', type: 'select', options: 'themes' },
    { name: 'leadBody', label: 'Lead delivery body', type: 'select', options: 'organisations' },
    { name: 'location', label: 'Location', type: 'text' },
    { name: 'description', label: 'Description', type: 'textarea' },
    { name: 'status', label: 'Status', type: 'radios', options: 'addStatuses' },
  ],
  rows: NEW_ALLOCATIONS,
  build(r) {
    const fields = new Map(
      ['code', 'name', 'theme', 'leadBody', 'location', 'description', 'status'].map((f) => [`payload.${f}`, f]),
    );
    fields.set('payload.allocations', rowField('allocations', 0, 'amount'));
    const optional = (f: string) => r.raw(f) || undefined;
    const allocations: unknown[] = [];
    for (const i of r.filledRows(NEW_ALLOCATIONS)) {
      const box = (f: string) => rowField('allocations', i, f);
      const k = allocations.length;
      fields.set(`payload.allocations[${k}].sourceKind`, box('sourceKind'));
      fields.set(`payload.allocations[${k}].period`, box('period'));
      fields.set(`payload.allocations[${k}].commitmentStatus`, box('commitment'));
      fields.set(`payload.allocations[${k}]`, box('amount'));
      allocations.push({
        sourceKind: r.required(box('sourceKind'), `Choose the funding source of allocation ${i + 1}`),
        period: r.required(box('period'), `Choose the year of allocation ${i + 1}`),
        commitmentStatus: r.required(box('commitment'), `Choose the commitment of allocation ${i + 1}`),
        amount: r.money(box('amount'), `Amount of allocation ${i + 1}`),
      });
    }
    const payload = {
      code: r.required('code', 'Enter the project code'),
      name: r.required('name', 'Enter the project name'),
      theme: optional('theme'),
      leadBody: optional('leadBody'),
      location: optional('location'),
      description: optional('description'),
      status: r.required('status', 'Choose the project’s status'),
      allocations,
    };
    return { payload, problems: r.problems, fields };
  },
};

const LINES: RowGroup = {
  name: 'lines',
  legend: 'Money to move',
  hint: 'Take money off some allocations (a minus sign) and add it to others; the lines net to £0.00. “Headroom” is the funding source’s money not yet allocated.',
  count: 4,
  fields: [
    { name: 'allocation', label: 'Allocation or headroom', type: 'select', options: 'allocationsOrHeadroom' },
    { name: 'delta', label: 'Change', type: 'money', hint: 'For example, -£1,000,000 or £1,000,000' },
  ],
};

const reallocation: KindForm = {
  kind: 'reallocation',
  intro:
    'Virement: move approved money between allocations, or to and from a funding source’s headroom. To fund a project from a source or year it has no allocation for yet, fill in the new allocation too.',
  fields: [
    { name: 'newProject', label: 'New allocation: project (optional)', type: 'select', options: 'projects' },
    { name: 'newSourceKind', label: 'New allocation: funding source', type: 'select', options: 'sourceKinds' },
    { name: 'newPeriod', label: 'New allocation: year', type: 'select', options: 'years' },
    { name: 'newCommitment', label: 'New allocation: commitment', type: 'select', options: 'commitments' },
    { name: 'newAmount', label: 'New allocation: amount', type: 'money' },
  ],
  rows: LINES,
  build(r) {
    const fields = new Map([['payload.lines', rowField('lines', 0, 'delta')]]);
    const lines: unknown[] = [];
    // The new allocation, when any of its boxes is filled, is the first line ("new" and "amount").
    if (['newProject', 'newSourceKind', 'newPeriod', 'newCommitment', 'newAmount'].some((f) => r.raw(f))) {
      for (const [key, box] of [
        ['project', 'newProject'],
        ['sourceKind', 'newSourceKind'],
        ['period', 'newPeriod'],
        ['commitmentStatus', 'newCommitment'],
      ])
        fields.set(`payload.lines[0].new.${key}`, box);
      fields.set('payload.lines[0]', 'newAmount');
      lines.push({
        new: {
          project: r.required('newProject', 'Choose the project of the new allocation'),
          sourceKind: r.required('newSourceKind', 'Choose the funding source of the new allocation'),
          period: r.required('newPeriod', 'Choose the year of the new allocation'),
          commitmentStatus: r.required('newCommitment', 'Choose the commitment of the new allocation'),
        },
        amount: r.money('newAmount', 'Amount of the new allocation'),
      });
    }
    for (const i of r.someRows(LINES, 'Enter at least two lines: where the money comes from and where it goes')) {
      const box = (f: string) => rowField('lines', i, f);
      const k = lines.length;
      fields.set(`payload.lines[${k}].allocationId`, box('allocation'));
      fields.set(`payload.lines[${k}].headroom`, box('allocation'));
      fields.set(`payload.lines[${k}]`, box('delta'));
      const target = r.required(box('allocation'), `Choose the allocation of line ${i + 1}`);
      const delta = r.money(box('delta'), `Change in line ${i + 1}`, { allowNegative: true });
      // The list offers allocations by id and each source's headroom as "headroom:LGF".
      lines.push(
        target?.startsWith('headroom:')
          ? { headroom: target.slice('headroom:'.length), delta }
          : { allocationId: idOf(target), delta },
      );
    }
    return { payload: { lines }, problems: r.problems, fields };
  },
};

/** Every kind's form, in the order the chooser lists them (most used first). */
export const KIND_FORMS: KindForm[] = [
  reprofileSpend,
  reprofileYears,
  reallocation,
  setBaseline,
  reduceAllocation,
  envelopeChange,
  rebaselineMilestone,
  rebaselineTarget,
  addProject,
  projectOnly('put_on_hold', 'Put a project on hold: its money stays allocated.'),
  projectOnly('hold_project', 'Put a project on hold: its money stays allocated.'),
  projectOnly('withdraw_project', 'Withdraw a project: its unspent money is released; what it spent stays.'),
  projectOnly('reinstate_project', 'Reinstate a project on hold or withdrawn: its money is unchanged.'),
  projectOnly('complete_project', 'Record a project as complete: its money is unchanged.'),
];

export const kindForm = (kind: string) => KIND_FORMS.find((k) => k.kind === kind);

/** Every box of a kind's form → the label a person reads ("Amount to move (line 2)"). */
export function boxLabels(form: KindForm): Map<string, string> {
  const out = new Map(form.fields.map((f) => [f.name, f.label]));
  for (let i = 0; i < (form.rows?.count ?? 0); i++)
    for (const f of form.rows!.fields) out.set(rowField(form.rows!.name, i, f.name), `${f.label} (line ${i + 1})`);
  return out;
}

/** "-1250000.00" → "-£1,250,000.00": a payload amount as the form shows it (and reads back). */
function shownMoney(v: unknown): string {
  if (typeof v !== 'string' || !/^-?\d+\.\d{2}$/.test(v)) return typeof v === 'string' ? v : '';
  const neg = v.startsWith('-');
  const [whole, frac] = v.replace('-', '').split('.');
  return `${neg ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : [];

/** A stored date as the date input's three boxes. */
function dateFill(out: Form, name: string, iso: unknown) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(iso));
  if (!m) return;
  out[`${name}-day`] = String(Number(m[3]));
  out[`${name}-month`] = String(Number(m[2]));
  out[`${name}-year`] = m[1];
}

/**
 * A re-profile's signed quarter lines back into moves: each quarter giving money paired with
 * the quarters taking it, in order (the same lines again when the form is read back).
 */
function movesOf(lines: Record<string, unknown>[]): { from: string; to: string; pence: bigint }[] {
  const pence = (v: unknown) => (/^-?\d+\.\d{2}$/.test(str(v)) ? BigInt(str(v).replace('.', '')) : 0n);
  const gives = lines.filter((l) => pence(l.delta) < 0).map((l) => ({ q: str(l.quarter), left: -pence(l.delta) }));
  const takes = lines.filter((l) => pence(l.delta) > 0).map((l) => ({ q: str(l.quarter), left: pence(l.delta) }));
  const moves: { from: string; to: string; pence: bigint }[] = [];
  for (const g of gives)
    for (const t of takes) {
      const amount = g.left < t.left ? g.left : t.left;
      if (amount <= 0n) continue;
      moves.push({ from: g.q, to: t.q, pence: amount });
      g.left -= amount;
      t.left -= amount;
    }
  return moves;
}

/**
 * A draft's payload as its kind's form boxes, so the draft can be edited in the form it was
 * made in: reading the boxes back (`build`) gives the same payload. Pure.
 */
export function formValues(kind: string, payload: Record<string, unknown>): Form {
  const out: Form = {};
  const rows = (
    group: string,
    items: Record<string, unknown>[],
    fill: (i: number, x: Record<string, unknown>) => void,
  ) => items.forEach((x, i) => fill(i, x));
  const set = (name: string, v: unknown) => {
    const s = str(v);
    if (s !== '') out[name] = s;
  };
  switch (kind) {
    case 'reprofile_spend':
      set('project', payload.project);
      set('sourceKind', payload.sourceKind);
      movesOf(list(payload.lines)).forEach((m, i) => {
        out[rowField('moves', i, 'from')] = m.from;
        out[rowField('moves', i, 'to')] = m.to;
        out[rowField('moves', i, 'amount')] = shownMoney(pounds(m.pence));
      });
      break;
    case 'reprofile_years':
      set('allocation', payload.allocationId);
      rows('periods', list(payload.periods), (i, x) => {
        set(rowField('periods', i, 'period'), x.period);
        out[rowField('periods', i, 'amount')] = shownMoney(x.amount);
      });
      break;
    case 'set_baseline':
      set('project', payload.project);
      set('sourceKind', payload.sourceKind);
      rows('quarters', list(payload.quarters), (i, x) => {
        set(rowField('quarters', i, 'quarter'), x.quarter);
        out[rowField('quarters', i, 'amount')] = shownMoney(x.amount);
      });
      break;
    case 'envelope_change':
      set('sourceKind', payload.sourceKind);
      out.delta = shownMoney(payload.delta);
      break;
    case 'reduce_allocation':
      set('allocation', payload.allocationId);
      out.amount = shownMoney(payload.amount);
      set('mode', payload.mode);
      set('why', payload.reason);
      set('reference', payload.reference);
      break;
    case 'rebaseline_milestone':
      rows('milestones', list(payload.milestones), (i, x) => {
        set(rowField('milestones', i, 'milestone'), x.id);
        dateFill(out, rowField('milestones', i, 'date'), x.baselineDate);
      });
      break;
    case 'rebaseline_target':
      rows('targets', list(payload.targets), (i, x) => {
        out[rowField('targets', i, 'holder')] = str(x.project) || '*';
        set(rowField('targets', i, 'metric'), x.metric);
        set(rowField('targets', i, 'target'), x.target);
      });
      break;
    case 'add_project':
      for (const f of ['code', 'name', 'theme', 'leadBody', 'location', 'description', 'status']) set(f, payload[f]);
      rows('allocations', list(payload.allocations), (i, x) => {
        set(rowField('allocations', i, 'sourceKind'), x.sourceKind);
        set(rowField('allocations', i, 'period'), x.period);
        set(rowField('allocations', i, 'commitment'), x.commitmentStatus);
        out[rowField('allocations', i, 'amount')] = shownMoney(x.amount);
      });
      break;
    case 'reallocation': {
      const lines = list(payload.lines);
      const created = lines[0]?.new && typeof lines[0].new === 'object' ? lines[0] : undefined;
      if (created) {
        const n = created.new as Record<string, unknown>;
        set('newProject', n.project);
        set('newSourceKind', n.sourceKind);
        set('newPeriod', n.period);
        set('newCommitment', n.commitmentStatus);
        out.newAmount = shownMoney(created.amount);
      }
      rows('lines', created ? lines.slice(1) : lines, (i, x) => {
        out[rowField('lines', i, 'allocation')] =
          x.headroom !== undefined ? `headroom:${str(x.headroom)}` : str(x.allocationId);
        out[rowField('lines', i, 'delta')] = shownMoney(x.delta);
      });
      break;
    }
    default:
      set('project', payload.project);
  }
  return out;
}

/** JSON with object keys in order: two payloads that say the same thing give the same text. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/**
 * The draft's payload shown in its kind's form and read back unchanged, so editing it there loses
 * nothing. A draft made through the API may hold more lines than the form has, or details it has
 * no box for: that draft is changed through the API. Pure.
 */
export function formHoldsAll(kind: string, payload: Record<string, unknown>): boolean {
  const form = kindForm(kind);
  if (!form) return false;
  const shown = form.build(new FormReader(formValues(kind, payload)));
  return shown.problems.length === 0 && canonicalJson(shown.payload) === canonicalJson(payload);
}
