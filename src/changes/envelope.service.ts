import { Injectable } from '@nestjs/common';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { SourceKind } from '../funding/source-kind.entity';
import { findProgramme } from '../programmes/programme-lookup';
import { approvedByStatus, envelopeRows } from './envelope.queries';

/** The programme's envelope per source kind beside what is approved against it. */
@Injectable()
export class EnvelopeService {
  constructor(private readonly db: Db) {}

  get(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const stored = await envelopeRows(m, prog.id);
      const rows = await approvedByStatus(m, prog.id);
      const kinds = await m.find(SourceKind, { order: { position: 'ASC' } });
      const used = new Set([...Object.keys(stored), ...rows.map((r) => r.kind)]);
      const items = kinds
        .filter((k) => used.has(k.code))
        .map((k) => {
          // Exact: the approved total of a kind may pass 2^53 pence.
          const of = (status: string) =>
            rows.filter((r) => r.kind === k.code && r.status === status).reduce((s, r) => s + r.total, 0n);
          const approved = of('confirmed') + of('provisional') + of('indicative');
          const envelope = k.code in stored ? BigInt(stored[k.code]) : approved;
          return {
            sourceKind: k.code,
            label: k.label,
            envelope: formatPounds(envelope),
            approved: formatPounds(approved),
            headroom: formatPounds(envelope - approved),
            byStatus: {
              confirmed: formatPounds(of('confirmed')),
              provisional: formatPounds(of('provisional')),
              indicative: formatPounds(of('indicative')),
            },
            withdrawn: formatPounds(of('withdrawn')),
            envelopeStored: k.code in stored,
          };
        });
      return {
        programme: prog.code,
        note: 'Envelope: the most the approved, non-withdrawn allocations of a source kind may total. Set from the deal when it was loaded; raised or lowered only by an approved envelope_change. A kind with no stored envelope takes its approved total at its first use by a change.',
        items,
      };
    });
  }
}
