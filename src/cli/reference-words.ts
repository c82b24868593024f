import { AppFailure } from '../main/errors';
import type { ReferenceProblem, ResolvedReference } from '../main/use-cases/references/reference-resolver';
import type { DotenvProblem } from '../main/use-cases/references/dotenv-parser';

/** The sentence for a reference that does not resolve (never a secret: only the reference text and ids). */
export function referenceProblemWords(text: string, failure: Extract<ResolvedReference, { ok: false }>): string {
  const ref = failure.reference;
  const ids = failure.candidates.join(', ');
  const problem: ReferenceProblem = failure.problem;
  switch (problem) {
    case 'no-token-part':
    case 'too-many-parts':
    case 'empty-part':
      return `"${text}" is not a reference: write tv://WORKSPACE/TOKEN (a "/" inside a name is written %2F).`;
    case 'bad-escape':
      return `"${text}" has a "%" that is not a %XX escape (a "%" inside a name is written %25).`;
    case 'bad-character':
      return `"${text}" has a space, quote, brace or control character: write it %-encoded (a space is %20).`;
    case 'unknown-workspace':
      return `${text}: no workspace named "${ref?.workspace ?? ''}".`;
    case 'ambiguous-workspace':
      return `${text}: several workspaces are named "${ref?.workspace ?? ''}"; use the workspace id: ${ids}.`;
    case 'unknown-token':
      return `${text}: no token "${ref?.token ?? ''}" in workspace "${ref?.workspace ?? ''}".`;
    case 'ambiguous-token':
      return `${text}: ${failure.candidates.length} tokens are named "${ref?.token ?? ''}"; use the token id: ${ids}.`;
    case 'no-secret':
      return `${text}: the vault holds no secret for this token.`;
  }
}

/** not-found for names that are not there, invalid-argument for everything the user has to rewrite. */
export function referenceFailure(text: string, failure: Extract<ResolvedReference, { ok: false }>, where?: string): AppFailure {
  const code = failure.problem === 'unknown-workspace' || failure.problem === 'unknown-token' || failure.problem === 'no-secret' ? 'not-found' : 'invalid-argument';
  return new AppFailure(code, `${where ? `${where}: ` : ''}${referenceProblemWords(text, failure)}`);
}

export function dotenvProblemWords(problem: DotenvProblem): string {
  switch (problem) {
    case 'expected-assignment':
      return 'expected KEY=VALUE';
    case 'bad-key':
      return 'a key may hold only letters, digits, "_", "." and "-"';
    case 'unterminated-quote':
      return 'a quoted value is never closed';
    case 'text-after-value':
      return 'text after the closing quote (a comment needs a "#")';
  }
}
