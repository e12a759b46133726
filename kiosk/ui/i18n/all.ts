// Every catalog at once, for the tests and tools that compare them (never imported by the touch screen's bundle,
// which loads a language when it is chosen).
import type { Language } from '../../../machine/types.ts';
import { catalog as en } from './en.ts';
import { catalog as es } from './es.ts';
import { catalog as ja } from './ja.ts';
import { catalog as ko } from './ko.ts';
import { catalog as pt } from './pt.ts';
import type { Strings } from './strings.ts';
import { catalog as zhHans } from './zh-hans.ts';
import { catalog as zhHant } from './zh-hant.ts';

export const STRINGS: Record<Language, Strings> = { ja, en, 'zh-Hans': zhHans, 'zh-Hant': zhHant, ko, pt, es };
