import { html, Html, type Html as H } from '../html';
import { reflow } from './reflow';

export interface PageOptions {
  title: string;
  body: H;
  crumbs?: { href: string; label: string }[];
  illustrative?: boolean;
  generatedAt?: string;
  /** For paper (the briefing): the footer speaks of tables, not of hovering. */
  print?: boolean;
}

/** The page shell: one stylesheet, no scripts, skip link, landmarks. */
export function layout(o: PageOptions): string {
  const page: Html = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} – Growth Deal tracker</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/dashboard.css"></head>
<body><a class="skip" href="#content">Skip to main content</a>
<header class="site"><a href="/">Growth Deal tracker</a> · public dashboard</header>
${o.crumbs ? html`<nav aria-label="Breadcrumb" class="no-print crumbs"><a href="/">All programmes</a>${o.crumbs.map((c) => html` › <a href="${c.href}">${c.label}</a>`)}</nav>` : ''}
<main id="content">
${o.illustrative ? html`<p class="banner illustrative" role="note"><strong>Illustrative data.</strong> Some figures on this page are demonstration data that the source documents do not contain; they are marked where shown.</p>` : ''}
${o.body}
</main>
<footer>Figures are the deal's approved allocations and headline figures as published; draft changes and personal data are never shown. Money is rounded to £0.1m in summaries; ${o.print ? 'tables give' : 'tables and hover text give'} exact pounds.${o.generatedAt ? ` Generated ${o.generatedAt}.` : ''} Open data: <a href="/api/open-data/360giving.json">360Giving JSON</a>. <a href="/glossary">Glossary</a> · <a href="/accessibility">Accessibility statement</a></footer>
</body></html>`;
  return reflow(page.value);
}
