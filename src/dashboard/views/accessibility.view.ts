import { html } from '../html';
import { layout } from './layout';

/**
 * The accessibility statement, in the shape UK public sector bodies publish under the Public
 * Sector Bodies (Websites and Mobile Applications) Accessibility Regulations 2018. It says only
 * what the test suite checks, and names the known problems plainly until they are fixed.
 */
export function accessibilityPage(): string {
  const body = html`<h1>Accessibility statement</h1>
<p class="lede">This statement covers the public pages of this Growth Deal tracker (the programme, project, briefing and glossary pages and their downloads) and the staff pages under <a href="/manage/sign-in">/manage</a>.</p>
<h2>How you should be able to use these pages</h2>
<ul>
<li>Every page works with JavaScript switched off: the public pages have no scripts at all.</li>
<li>A "Skip to main content" link, headings in order, and landmarks (header, navigation, main, footer) let you move around with a keyboard or a screen reader.</li>
<li>Tables have captions and header cells. Every chart is followed by a table of its exact figures, and the figures can be downloaded as CSV.</li>
<li>On a phone-sized screen the pages do not scroll sideways: a wide table or chart scrolls inside its own box, which you can reach with the keyboard, and chart text keeps its size.</li>
<li>The programme page starts with how delivery is going (spend, late milestones, ratings, jobs and homes); the full comparison of the deal's stated figures with the allocations is on its own page, linked from the programme page.</li>
<li>Every status colour (blue, red, amber, green, grey) is also written as a word with the reason, so nothing depends on colour alone.</li>
<li>The staff pages use the GOV.UK Frontend components and can be used by keyboard alone.</li>
</ul>
<h2>How accessible these pages are</h2>
<p>Our automated tests run axe-core on every staff page, and on the public programme, project, reconciliation, returns, glossary and statement pages, at desktop width and at 390 pixels wide, and fail on any serious or critical problem, on any sideways scrolling of the page and on any text drawn smaller than 10 pixels; one test fills in a whole form by keyboard alone.</p>
<p>We know some parts of the public pages are not fully accessible:</p>
<ul>
<li>On a phone-sized screen, wide tables and charts have to be scrolled sideways inside their box to see every column.</li>
<li>The committee briefing is a PDF made by a browser; it may not be fully tagged for screen readers. The same figures are on the programme page and in the CSV downloads.</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you find a problem not listed here, or need information from these pages in another format, contact the Local Enterprise Partnership or council that publishes this site. Tell them the web address of the page and what went wrong.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility regulations. If you are not happy with how your request is handled, contact the Equality Advisory and Support Service (EASS).</p>
<h2>Technical information</h2>
<p>These pages are partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, because of the problems listed above (the committee briefing PDF may not be fully tagged, success criterion 1.3.1 info and relationships).</p>
<p>This statement was prepared on 2 December 2026 from the project's automated tests.</p>`;
  return layout({ title: 'Accessibility statement', body });
}
