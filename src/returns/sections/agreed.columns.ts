import { narrowPence, sumMoney } from '../../common/money';
import { agreedLines, agreedWords } from '../../changes/agreed.queries';
import { ColumnSpec, RowInput } from '../../xlsx';
import { SummaryColumnsProvider } from '../return-document';

const COLUMNS: ColumnSpec[] = [
  { key: 'agreed', header: 'Agreed in the deal (£)', type: 'money' },
  { key: 'changeSinceAgreed', header: 'Change since agreed (£)', type: 'money' },
  { key: 'agreedVsNow', header: 'Agreed vs now, by project (approved change requests)', type: 'text', maxWidth: 100 },
];

/**
 * The deal as agreed beside the approved allocation, per source kind: the agreed total, the
 * change, and each line an approved change request moved, in the same words as the public
 * pages ("Lichfield Park employment site: agreed £4.0m · now £4.2m (+£0.2m, change request 1)
 * (illustrative)"). Agreed + change = the approved allocation column.
 */
export const agreedSummaryColumns: SummaryColumnsProvider = {
  key: 'agreed',
  columns: COLUMNS,
  async values(ctx) {
    const { m, programme } = ctx;
    const lines = await agreedLines(m, programme.id);
    const names: Record<string, unknown>[] = await m
      .createQueryBuilder()
      .from('project', 'p')
      .select(['p.code AS code', 'p.name AS name'])
      .where('p.programme_id = :p', { p: programme.id })
      .getRawMany();
    const name = new Map(names.map((r) => [String(r.code), String(r.name)]));
    const holder = (l: (typeof lines)[number]) =>
      l.projectCode
        ? (name.get(l.projectCode) ?? l.projectCode)
        : l.poolCode
          ? `shared pool ${l.poolCode}`
          : 'the programme as a whole';
    const out = new Map<string, RowInput>();
    for (const kind of new Set(lines.map((l) => l.sourceKind))) {
      const mine = lines.filter((l) => l.sourceKind === kind);
      const changed = mine.filter((l) => l.changed);
      out.set(kind, {
        agreed: narrowPence(sumMoney(mine.map((l) => l.agreedPence))),
        changeSinceAgreed: narrowPence(sumMoney(mine.map((l) => l.deltaPence))),
        agreedVsNow: changed.length ? changed.map((l) => `${holder(l)}: ${agreedWords(l)}`).join('; ') : 'as agreed',
      });
    }
    return out;
  },
};
