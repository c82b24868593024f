import { isAppFailure } from '../errors';
import type { SecretCheck } from '../../shared/secret-check';
import { isRemoteFailure } from './http/remote-failure';

export type { SecretCheck } from '../../shared/secret-check';

export const VALID: SecretCheck = { state: 'valid', limited: false };
/** Accepted by the service, but not allowed the call we tried (a narrow scope). */
export const VALID_LIMITED: SecretCheck = { state: 'valid', limited: true };
export const REFUSED: SecretCheck = { state: 'invalid', reason: 'refused' };
export const EXPIRED: SecretCheck = { state: 'invalid', reason: 'expired' };
export const INACTIVE: SecretCheck = { state: 'invalid', reason: 'inactive' };
export const NOT_CHECKABLE: SecretCheck = { state: 'unknown', reason: 'not-checkable' };
export const NEEDS_SETTING: SecretCheck = { state: 'unknown', reason: 'needs-setting' };
export const UNEXPECTED: SecretCheck = { state: 'unknown', reason: 'unexpected-answer' };

/**
 * How a provider reads an HTTP status its check call may get, where the service gives it a meaning of its own; a
 * function reads the service's (already scrubbed) words too, e.g. GitLab's "Token is expired".
 */
export type StatusMeanings = Partial<Record<number, SecretCheck | ((detail: string | undefined) => SecretCheck)>>;

/**
 * What a failed check call says about the secret. Only a 401 (or a status the provider names) says "invalid"; a
 * fault, a rate limit or an answer nobody documented is "unknown", so nothing downstream acts on a guess.
 */
export function checkFromFailure(e: unknown, meanings: StatusMeanings = {}): SecretCheck {
  // A bug of ours is not an answer from the service.
  if (!isAppFailure(e)) throw e;
  const status = isRemoteFailure(e) ? e.info.status : undefined;
  const meaning = status !== undefined ? meanings[status] : undefined;
  const named = typeof meaning === 'function' ? meaning(isRemoteFailure(e) ? e.info.detail : undefined) : meaning;
  if (named) return named.state === 'valid' ? named : { ...named, status };
  if (status === 401) return { state: 'invalid', reason: 'refused', status };
  const withStatus = status !== undefined ? { status } : {};
  switch (e.code) {
    case 'network':
    case 'connection-refused':
    case 'host-not-found':
    case 'timeout':
    case 'tls':
    case 'insecure-url':
      return { state: 'unknown', reason: 'unreachable', code: e.code, ...withStatus };
    case 'rate-limited':
      return { state: 'unknown', reason: 'rate-limited', code: e.code, ...withStatus };
    case 'server-error':
      return { state: 'unknown', reason: 'server-error', code: e.code, ...withStatus };
    default:
      return { state: 'unknown', reason: 'unexpected-answer', code: e.code, ...withStatus };
  }
}

/** Runs the check call; its answer is judged by `judge`, a failure by `checkFromFailure`. */
export async function checkWith<T>(call: () => Promise<T>, judge: (answer: T) => SecretCheck, meanings: StatusMeanings = {}): Promise<SecretCheck> {
  let answer: T;
  try {
    answer = await call();
  } catch (e) {
    return checkFromFailure(e, meanings);
  }
  return judge(answer);
}
