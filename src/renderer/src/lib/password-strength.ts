/**
 * Master password strength, estimated by zxcvbn-ts (a maintained port of Dropbox's zxcvbn) with its common and
 * English dictionaries. The dictionaries are about 1.5 MB, so they load on first use, in their own chunk: the first
 * paint of the window never pays for them.
 */
export interface Strength {
  /** 0 (too guessable) .. 4 (very unguessable), zxcvbn's scale. */
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's own advice, in English. */
  warning: string | null;
  suggestions: string[];
}

type Estimate = (password: string, userInputs: string[]) => Strength;

let estimator: Promise<Estimate> | null = null;

export function loadEstimator(): Promise<Estimate> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(([core, common, en]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (password, userInputs) => {
      const result = zxcvbn.check(password, userInputs);
      return { score: result.score, warning: result.feedback.warning || null, suggestions: result.feedback.suggestions };
    };
  });
  return estimator;
}

export const STRENGTH_WORDS: Record<Strength['score'], string> = {
  0: 'Too guessable',
  1: 'Weak',
  2: 'Fair',
  3: 'Strong',
  4: 'Very strong',
};
