import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { inProjectScope } from '../../auth/scope';
import { FieldProblem, NotFoundError } from '../../common/errors';
import { QuarterlyUpdatesService } from '../../quarterly-updates/quarterly-updates.service';
import { UpdateDraftsService } from '../../quarterly-updates/update-drafts.service';
import { RISK_LEVEL_LABELS, RISK_SCALE } from '../../risks/risk.entity';
import { RiskInput } from '../../risks/risks.service';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { ProgrammeQuery, updateUrl, withProgramme } from './update-url';
import { claimRow, forecastBox, parseOutputsForm, ParsedOutputsForm, showQuantity, unitWord } from './outputs-form';

type Form = Record<string, unknown>;
type View = Awaited<ReturnType<QuarterlyUpdatesService['view']>>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const positive = (v: unknown) => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};
const LEVELS = RISK_SCALE.map((n) => ({ value: String(n), text: `${n} – ${RISK_LEVEL_LABELS[n]}` }));
const RISK_LABELS = { description: 'Description', mitigation: 'Mitigation', owner: 'Owner' };
const RISK_IDS = { likelihood: 'likelihood', impact: 'impact' };

/**
 * The outputs and risks of a project's quarterly update: the output claims and forecasts are
 * held on the update (OutputsService's rules check them, and apply them on acceptance); the
 * risk register is written as it is edited, each change audited. The rules are the services';
 * this reads forms and renders.
 */
@StaffPages('quarter')
export class UpdatePartsController {
  constructor(
    private readonly pages: Pages,
    private readonly updates: QuarterlyUpdatesService,
    private readonly drafts: UpdateDraftsService,
  ) {}

  /** The update as read, for the programme the page was reached with (or the only one). */
  private view(programme: string | undefined, project: string): Promise<View> {
    return withProgramme(programme, project, () => this.updates.view(programme, project));
  }

  private canEdit(req: WebRequest, v: View) {
    const actor = req.actor!;
    return (
      v.editable &&
      inProjectScope(actor, v.programme.code, v.project.code) &&
      ['delivery_partner', 'programme_manager', 'admin'].includes(actor.role)
    );
  }

  @Get(':project/outputs')
  @Roles(...ANY_ROLE)
  async outputsForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    return this.renderOutputs(req, reply, programme, await this.view(programme, project));
  }

  private renderOutputs(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    v: View,
    parsed?: ParsedOutputsForm,
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    const sections = v.outputs.map((s) => {
      const claims = parsed
        ? parsed.rows[s.metric]
        : s.claims.map((c, i) => ({
            n: i + 1,
            quarter: c.quarter,
            value: showQuantity(c.value, s.scale),
            key: c.claimKey,
            evidence: c.evidence ?? '',
          }));
      // One empty row to claim something new (rows left empty are ignored).
      const rows = [...claims];
      if (!parsed || rows.every((r) => r.value || r.key))
        rows.push({ n: rows.length + 1, quarter: v.quarter, value: '', key: '', evidence: '' });
      return {
        ...s,
        shortName: s.name.replace(/\s*\(.*\)$/, ''),
        unitWord: unitWord(s.unit),
        targetShown: s.target === null ? 'None' : showQuantity(s.target, s.scale),
        deliveredShown: showQuantity(s.deliveredToDate, s.scale),
        acceptedShown: s.acceptedForecast === null ? 'None' : showQuantity(s.acceptedForecast, s.scale),
        forecastField: forecastBox(s.metric),
        forecastValue: parsed ? parsed.forecasts[s.metric] : showQuantity(s.forecast, s.scale),
        rows: rows.map((r) => ({
          ...r,
          field: claimRow(s.metric, r.n),
          sharedWith: s.claims.find((c) => c.claimKey === r.key.trim().toUpperCase())?.sharedWith ?? [],
        })),
      };
    });
    const all = [...(parsed?.problems ?? []), ...problems];
    return this.pages.render(
      req,
      reply,
      'quarter/outputs.njk',
      {
        pageTitle: `Outputs: ${v.project.name}, ${v.quarter}`,
        backLink: { href: updateUrl(programme, v.project.code), text: 'Back to the update' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        canEdit: this.canEdit(req, v),
        sections,
        completeValue: parsed
          ? parsed.complete
          : v.outputsComplete === null
            ? undefined
            : v.outputsComplete
              ? 'yes'
              : 'no',
        errors: all.length ? formErrors(all, {}, parsed?.ids ?? { complete: 'complete' }) : undefined,
      },
      status,
    );
  }

  @Post(':project/outputs')
  @Roles('delivery_partner', 'programme_manager')
  async saveOutputs(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    const v = await this.view(programme, project);
    const parsed = parseOutputsForm(body ?? {}, v.outputs);
    if (parsed.problems.length) return this.renderOutputs(req, reply, programme, v, parsed, [], 400);
    try {
      await this.drafts.saveOutputs(programme, project, parsed.input, positive(body?.version), req.actor!);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      return this.renderOutputs(req, reply, programme, await this.view(programme, project), parsed, ps, 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, v.project.code), 'Outputs saved as a draft');
  }

  @Get(':project/risks')
  @Roles(...ANY_ROLE)
  async risksPage(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    return this.renderRisks(req, reply, programme, await this.view(programme, project));
  }

  private renderRisks(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    v: View,
    typed: Form = {},
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'quarter/risks.njk',
      {
        pageTitle: `Risks: ${v.project.name}, ${v.quarter}`,
        backLink: { href: updateUrl(programme, v.project.code), text: 'Back to the update' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        canEdit: this.canEdit(req, v),
        levels: LEVELS,
        levelLabels: RISK_LEVEL_LABELS,
        typed,
        reviewedValue: typed.reviewed ?? (v.risksReviewed === null ? undefined : v.risksReviewed ? 'yes' : 'no'),
        errors: problems.length ? formErrors(problems, RISK_LABELS, { ...RISK_IDS, reviewed: 'reviewed' }) : undefined,
      },
      status,
    );
  }

  @Post(':project/risks')
  @Roles('delivery_partner', 'programme_manager')
  async addRisk(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    try {
      await this.drafts.addRisk(programme, project, riskInput(body ?? {}), req.actor!);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      return this.renderRisks(
        req,
        reply,
        programme,
        await this.view(programme, project),
        { ...riskInput(body ?? {}) },
        ps,
        400,
      );
    }
    return this.pages.redirect(req, reply, updateUrl(programme, project, 'risks'), 'Risk added to the register');
  }

  @Post(':project/risk-review')
  @Roles('delivery_partner', 'programme_manager')
  async reviewRisks(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    const answer = text(body?.reviewed);
    const problems: FieldProblem[] =
      answer === 'yes' || answer === 'no'
        ? []
        : [{ field: 'reviewed', problem: 'Say whether you have finished reviewing the risks' }];
    try {
      if (!problems.length)
        await this.drafts.reviewRisks(programme, project, answer === 'yes', positive(body?.version), req.actor!);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      problems.push(...ps);
    }
    if (problems.length)
      return this.renderRisks(req, reply, programme, await this.view(programme, project), {}, problems, 400);
    return this.pages.redirect(
      req,
      reply,
      updateUrl(programme, project),
      answer === 'yes' ? 'Risks reviewed' : 'Risks saved',
    );
  }

  @Get(':project/risks/:id')
  @Roles(...ANY_ROLE)
  async riskForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Param('id') id: string,
  ) {
    return this.renderRisk(req, reply, programme, await this.view(programme, project), id);
  }

  private renderRisk(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    v: View,
    id: string,
    typed?: Form,
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    const risk = v.risks.find((r) => String(r.id) === id);
    if (!risk) throw new NotFoundError('risk', id, 'id');
    const values = typed ?? {
      description: risk.description,
      likelihood: String(risk.likelihood),
      impact: String(risk.impact),
      mitigation: risk.mitigation ?? '',
      owner: risk.owner,
    };
    return this.pages.render(
      req,
      reply,
      'quarter/risk.njk',
      {
        pageTitle: `Risk: ${v.project.name}`,
        backLink: { href: updateUrl(programme, v.project.code, 'risks'), text: 'Back to the risks' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        canEdit: this.canEdit(req, v) && risk.status === 'open',
        risk,
        levels: LEVELS,
        levelLabels: RISK_LEVEL_LABELS,
        typed: values,
        errors: problems.length ? formErrors(problems, RISK_LABELS, RISK_IDS) : undefined,
      },
      status,
    );
  }

  @Post(':project/risks/:id')
  @Roles('delivery_partner', 'programme_manager')
  async editRisk(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Param('id') id: string,
    @Body() body: Form,
  ) {
    try {
      await this.drafts.editRisk(
        programme,
        project,
        riskId(id),
        riskInput(body ?? {}),
        positive(body?.riskVersion),
        req.actor!,
      );
    } catch (e) {
      const ps = e instanceof NotFoundError ? undefined : problemsOf(e);
      if (!ps) throw e;
      const v = await this.view(programme, project);
      return this.renderRisk(req, reply, programme, v, id, { ...riskInput(body ?? {}) }, ps, 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, project, 'risks'), 'Risk changed');
  }

  @Post(':project/risks/:id/close')
  @Roles('delivery_partner', 'programme_manager')
  async closeRisk(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Param('id') id: string,
    @Body() body: Form,
  ) {
    try {
      await this.drafts.closeRisk(programme, project, riskId(id), positive(body?.riskVersion), req.actor!);
    } catch (e) {
      const ps = e instanceof NotFoundError ? undefined : problemsOf(e);
      if (!ps) throw e;
      const v = await this.view(programme, project);
      return this.renderRisk(req, reply, programme, v, id, undefined, ps, 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, project, 'risks'), 'Risk closed');
  }
}

function riskId(id: string): number {
  if (!/^\d{1,9}$/.test(id)) throw new NotFoundError('risk', id, 'id');
  return Number(id);
}

function riskInput(body: Form): RiskInput {
  return {
    description: text(body.description),
    likelihood: text(body.likelihood),
    impact: text(body.impact),
    mitigation: text(body.mitigation),
    owner: text(body.owner),
  };
}
