/* global document */
// Progressive enhancement only: every staff page works without JavaScript.
import { initAll } from '/manage/assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
