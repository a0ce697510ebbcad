import { z } from 'zod';

// Control characters other than tab and line breaks (matching them is the point).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
// Bidi controls reorder what follows them and zero-width characters split or join words
// invisibly: both make a name, an address or a note read differently in a seller's, an admin's or
// a spreadsheet's view than what was typed (U+202E turns "txt.exe" around).
const DISGUISE = /[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/u;
// Joiners are refused too, except where writing needs them: ZWJ inside an emoji sequence
// (a family, a flag) and ZWNJ between letters of scripts that use it (Persian, Indic scripts).
// eslint-disable-next-line no-misleading-character-class -- the class holds skin-tone modifiers on purpose
const LOOSE_ZWJ = /(?<!\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?)\u200d|\u200d(?!\p{Extended_Pictographic})/u;
const LOOSE_ZWNJ = /(?<![\p{L}\p{M}](?<![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]))\u200c|\u200c(?![\p{L}](?<![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]))/u;

/** Whether text holds control, bidi or invisible characters that would disguise it. */
export const hasHiddenCharacters = (v: string) => CONTROL.test(v) || DISGUISE.test(v) || LOOSE_ZWJ.test(v) || LOOSE_ZWNJ.test(v);

// Length as people count it: an emoji or an accented letter is one character.
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const characters = (v: string) => [...segmenter.segment(v)].length;

/**
 * Free text a person typed (names, addresses, notes, reasons): trimmed, `min` to `max` characters,
 * and refused with a field message when it holds characters that would disguise it.
 * `required` is the message for a blank value when `min` > 0.
 */
export function visibleText(label: string, min: number, max: number, required = min > 1 ? `${label} needs at least ${min} characters.` : `Enter a ${label.toLowerCase()}.`) {
  return z
    .string({ error: min > 0 ? required : `${label} must be text.` })
    .trim()
    .refine((v) => !hasHiddenCharacters(v), `${label} holds invisible or direction-changing characters; please type it again without them.`)
    .refine((v) => characters(v) >= min, required)
    .refine((v) => characters(v) <= max, `${label} has at most ${max.toLocaleString('en-US')} characters.`);
}
