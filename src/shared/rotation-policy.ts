/**
 * The one definition of a rotation policy (token, workspace and global setting alike). zod-free: the vault reads it
 * on every command-line run; the IPC schema in ./ipc/common-schemas.ts is built from the same bounds.
 */

/**
 * `issue`: counted from the token's creation (a native regenerate keeps the token, so it keeps its age).
 * `last-rotation`: counted from the last rotation, or creation when never rotated.
 */
export const ROTATION_BASES = ['issue', 'last-rotation'] as const;
export type RotationBasis = (typeof ROTATION_BASES)[number];

/** Rotate every N calendar days (local time zone). */
export const ROTATE_EVERY_DAYS = { min: 1, max: 3650 } as const;

export interface RotationPolicy {
  rotateEveryDays: number;
  basis: RotationBasis;
}

const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The policy in `value`, or undefined when it is not one (extra keys refused, as the IPC schema does). */
export function readRotationPolicy(value: unknown): RotationPolicy | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Record<string, unknown>;
  if (Object.keys(p).some((k) => k !== 'rotateEveryDays' && k !== 'basis')) return undefined;
  if (!intIn(p['rotateEveryDays'], ROTATE_EVERY_DAYS.min, ROTATE_EVERY_DAYS.max)) return undefined;
  if (!(ROTATION_BASES as readonly unknown[]).includes(p['basis'])) return undefined;
  return { rotateEveryDays: p['rotateEveryDays'], basis: p['basis'] as RotationBasis };
}
