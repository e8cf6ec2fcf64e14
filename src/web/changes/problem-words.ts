import { displayPounds, parsePoundsExact } from '../../common/money';

/**
 * A change kind's refusal, which the API words for its JSON callers ("would take allocation 6
 * from 10000.00 to -20000.00", "lines[1] +5.00"), in the words of the form: pounds as
 * "£20,000.00" and what it means for the box. The rule and its figures stay the kind's: this
 * only rewords them. Pure.
 */
export interface KindProblem {
  problem: string;
  code?: string;
}

/** "-20000.00" → "-£20,000.00", "+5.00" → "+£5.00" (exact, whatever the size). */
export const poundsText = (figure: string): string => {
  const sign = figure.startsWith('+') ? '+' : '';
  return `${sign}${displayPounds(parsePoundsExact(figure.replace(/^\+/, '')))}`;
};

const abs = (figure: string) => poundsText(figure.replace(/^[+-]/, ''));

/** Every money figure of the API's (two decimal places, optionally signed) as pounds. */
export function moneyInWords(text: string): string {
  return text.replace(/(?<![\w.£,])([+-]?\d+\.\d{2})(?![\d.])/g, (_, f: string) => poundsText(f));
}

export function problemInWords(p: KindProblem): string {
  const text = p.problem;
  if (p.code === 'NEGATIVE_ALLOCATION') {
    const m = /^would take allocation \d+ from (-?\d+\.\d{2}) to -(\d+\.\d{2})/.exec(text);
    if (m)
      return `takes ${abs(m[2])} more than the allocation holds (it holds ${abs(m[1])}; no allocation may go below £0.00)`;
  }
  if (p.code === 'UNBALANCED') {
    const m =
      /; net ([+-]?\d+\.\d{2}) \(.*?(release the difference to|draw the difference from) the envelope's headroom, add the line \{"headroom":"([^"]+)"/.exec(
        text,
      );
    if (m) {
      const gives = m[2].startsWith('release');
      return `the changes add up to ${poundsText(m[1])}, not £0.00: make them balance, or ${gives ? 'release' : 'draw'} ${abs(m[1])} ${gives ? 'to' : 'from'} the headroom of ${m[3]} on a line of its own`;
    }
  }
  // The box names the allocation already: its internal id is no one's word for it.
  return moneyInWords(text).replace(/\ballocation \d+\b/g, 'the allocation');
}
