import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DuplicateError, NotFoundError, RuleViolationError } from '../common/errors';
import { formatPounds, parsePounds } from '../common/money';
import { page } from '../common/pagination';
import { presentSource } from '../common/present-source';
import { Db } from '../database/db.service';
import { deleteVersioned, updateVersioned } from '../database/versioned';
import { findProgramme } from '../programmes/programme-lookup';
import { CreateHeadlineDto, HeadlineQuery, UpdateHeadlineDto } from './dto/headline.dto';
import { HeadlineFigure } from './headline-figure.entity';
import { HeadlineRule } from './headline-rule';

/** Money headlines speak pounds strings; counts stay whole numbers. */
export function presentHeadline(h: HeadlineFigure) {
  const money = h.unit === 'pounds';
  return {
    id: h.id,
    code: h.code,
    measure: h.measure,
    label: h.label,
    qualifier: h.qualifier,
    unit: h.unit,
    value: money ? formatPounds(h.value) : h.value,
    precision: money ? formatPounds(h.precision) : h.precision,
    rule: h.rule,
    table: h.tableName ? { name: h.tableName, row: h.tableRow, column: h.tableColumn } : null,
    notes: h.notes,
    source: presentSource(h.source),
    version: h.version,
  };
}

@Injectable()
export class HeadlinesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  list(code: string, q: HeadlineQuery) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const where: Record<string, unknown> = { programmeId: prog.id };
      if (q.measure) where.measure = q.measure;
      if (q.unit) where.unit = q.unit;
      const [items, total] = await m.findAndCount(HeadlineFigure, {
        where,
        order: { id: 'ASC' },
        take: q.limit ?? 100,
        skip: q.offset ?? 0,
      });
      return page(items.map(presentHeadline), total, q);
    });
  }

  get(code: string, headline: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const h = await m.findOne(HeadlineFigure, { where: { programmeId: prog.id, code: headline } });
      if (!h) throw new NotFoundError('headline figure', headline);
      return presentHeadline(h);
    });
  }

  private parseValue(unit: string, raw: string, field: string): number {
    if (unit === 'pounds') {
      if (!raw.includes('.'))
        throw new RuleViolationError(
          'INVALID_AMOUNT',
          'must be pounds with two decimal places, e.g. "82300000.00"',
          field,
        );
      return parsePounds(raw);
    }
    if (raw.includes('.')) throw new RuleViolationError('INVALID_COUNT', `must be a whole number of ${unit}`, field);
    return Number(raw);
  }

  create(code: string, dto: CreateHeadlineDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      if (await m.findOne(HeadlineFigure, { where: { programmeId: prog.id, code: dto.code } }))
        throw new DuplicateError('headline figure', 'code', dto.code);
      const precision = this.parseValue(dto.unit, dto.precision, 'precision');
      if (precision <= 0) throw new RuleViolationError('INVALID_PRECISION', 'must be more than zero', 'precision');
      for (const ref of dto.rule.sumOf ?? []) {
        if (!(await m.findOne(HeadlineFigure, { where: { programmeId: prog.id, code: ref } })))
          throw new RuleViolationError('UNKNOWN_REFERENCE', `headline "${ref}" does not exist`, 'rule.sumOf');
      }
      const r = await m.insert(HeadlineFigure, {
        programmeId: prog.id,
        code: dto.code,
        measure: dto.measure,
        label: dto.label,
        qualifier: dto.qualifier,
        unit: dto.unit,
        // `amount` is the deal file's name for money; `value` (counts, and money before) is accepted too.
        value:
          dto.amount !== undefined
            ? this.parseValue(dto.unit, dto.amount, 'amount')
            : this.parseValue(dto.unit, dto.value!, 'value'),
        precision,
        rule: dto.rule as HeadlineRule,
        notes: dto.notes ?? null,
        source: {
          document: dto.source.document,
          section: dto.source.section ?? null,
          quote: dto.source.quote,
          printed: dto.source.printed ?? null,
          illustrative: false,
        },
      });
      const h = await m.findOneByOrFail(HeadlineFigure, { id: r.identifiers[0].id as number });
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'headline_figure',
        entityId: h.id,
        action: 'create',
        after: h,
      });
      return presentHeadline(h);
    });
  }

  update(code: string, headline: string, dto: UpdateHeadlineDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await m.findOne(HeadlineFigure, { where: { programmeId: prog.id, code: headline } });
      if (!before) throw new NotFoundError('headline figure', headline);
      const { version, ...changes } = dto;
      const after = await updateVersioned(
        m,
        HeadlineFigure,
        'headline figure',
        before.id,
        version,
        changes as Partial<HeadlineFigure>,
      );
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'headline_figure',
        entityId: before.id,
        action: 'update',
        before,
        after,
      });
      return presentHeadline(after);
    });
  }

  remove(code: string, headline: string, version: number | undefined, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const h = await m.findOne(HeadlineFigure, { where: { programmeId: prog.id, code: headline } });
      if (!h) throw new NotFoundError('headline figure', headline);
      const before = await deleteVersioned(m, HeadlineFigure, 'headline figure', h.id, version);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'headline_figure',
        entityId: h.id,
        action: 'delete',
        before,
      });
    });
  }
}
