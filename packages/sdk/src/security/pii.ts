const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[A-Za-z]{2,}/;
const DIGIT_RUN = /\d(?:[ -]?\d){12,18}/g;

/** What a piece of text looks like, when it looks like personal data. */
export type PiiKind = 'email address' | 'card number';

/** Whether text contains something that looks like an e-mail address or a payment card number (Luhn-valid). */
export function detectPii(text: string): PiiKind | undefined {
  if (EMAIL.test(text)) return 'email address';
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (luhn(match[0].replace(/[ -]/g, ''))) return 'card number';
  }
  return undefined;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
