import { html } from '../html';
import { layout } from './layout';

/** The public "page not found" page, for browsers; API clients get the JSON error. */
export function notFoundPage(path: string): string {
  const shown = readable(path);
  const body = html`<h1>Page not found</h1>
<p>There is no page at <code>${shown}</code>.</p>
<p>If you typed the web address, check it is correct. If you pasted it, check you copied all of it.</p>
<p>You can start again from <a href="/">all programmes</a>, or read the <a href="/glossary">glossary</a>.</p>`;
  return layout({ title: 'Page not found', body });
}

/** The path as a person typed it (percent-decoding), escaped like any other text by `html`. */
function readable(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
