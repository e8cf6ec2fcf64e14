/** The one small stylesheet (served at /assets/dashboard.css), with print rules for agenda packs. */
export const DASHBOARD_CSS = `
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#b1b4b6;--accent:#005ea5;--warn:#8a3b00;--bg:#fff;--soft:#f3f2f1}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:focus{outline:3px solid #fd0;background:#fd0;color:#000}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px}
header.site{background:#0b0c0c;color:#fff;padding:10px 16px}header.site a{color:#fff;text-decoration:none;font-weight:700}
main,.crumbs{max-width:1100px;margin:0 auto;padding:16px}.crumbs{padding-bottom:0}
h1{font-size:2rem;line-height:1.2;margin:.5em 0}h2{font-size:1.5rem;margin:1.5em 0 .5em;border-top:2px solid var(--line);padding-top:.5em}h3{font-size:1.15rem}
.lede{font-size:1.15rem;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:1em 0}
.card{border-left:5px solid var(--accent);background:var(--soft);padding:10px 12px}.card .big{font-size:1.8rem;font-weight:700;display:block}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.95rem}
caption{text-align:left;font-weight:700;padding:.3em 0}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}
tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink)}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}
/* Phones: tables and charts scroll inside their own box, never the page; chart text keeps its size. */
main{overflow-wrap:break-word}div.scroll,div.chart-scroll{overflow-x:auto;max-width:100%}div.chart-scroll svg{max-width:none}
div.scroll:focus,div.chart-scroll:focus{outline:3px solid #fd0}
div.scroll caption{position:sticky;left:0;max-width:calc(100vw - 32px)}div.scroll tbody th[scope=row]{min-width:7em}
.legend{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0;font-size:.9rem}.legend span{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
blockquote.quote{margin:.3em 0;padding:.2em .8em;border-left:4px solid var(--line);color:var(--muted);font-style:italic}
.source{font-size:.85rem;color:var(--muted)}
.status{font-weight:700}.status-reconciled,.status-met{color:#00703c}.status-within_rounding{color:#005ea5}.status-unreconciled,.status-not_met{color:#a3000b}.status-not_comparable{color:var(--muted)}
.illustrative{color:var(--warn)}.banner{border:3px solid var(--warn);padding:8px 12px;margin:1em 0}
.note{background:var(--soft);padding:8px 12px}
.rag{font-weight:700;white-space:nowrap}.rag-red{color:#a3000b}.rag-amber{color:#8a5a00}.rag-green{color:#00703c}.rag-none{color:var(--muted)}
ul.changes li{margin:.4em 0}
dl.glossary dt{font-weight:700;margin-top:1em}dl.glossary dd{margin:.2em 0 0}
a.csv{font-weight:400;font-size:.85rem;margin-left:.5em}
footer{max-width:1100px;margin:2em auto;padding:16px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media print{
  @page{size:A4;margin:14mm}
  body{font-size:10pt}header.site,nav,.skip,a.csv,.no-print{display:none}
  main{max-width:none;padding:0}h1{font-size:18pt}h2{font-size:13pt;border-top:none}
  a{color:inherit;text-decoration:none}
  @page wide{size:A4 landscape;margin:12mm}
  .page.wide{page:wide}h2,h3{break-after:avoid}
  .briefing table,.card,.source,.legend,footer,figcaption,small{font-size:10pt}.cards{grid-template-columns:repeat(4,1fr);gap:4px;margin:.4em 0}.card{padding:3px 6px}.card .big{font-size:13pt}.briefing h1{font-size:15pt}.lede{font-size:11pt}.briefing tbody th[scope=row]{min-width:14em}
  footer{max-width:none;margin:1em 0 0;padding:0}.briefing svg{overflow:visible}.briefing svg text{font-size:14px}
  div.scroll,div.chart-scroll{overflow:visible}div.chart-scroll svg{max-width:100%}
  figure,.card,tr{break-inside:avoid}
  th,td{padding:2px 4px}
}
`;
