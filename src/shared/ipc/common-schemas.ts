import { z } from 'zod';
import { ROTATE_EVERY_DAYS, ROTATION_BASES, type RotationPolicy } from '../rotation-policy';

/** Schemas for concepts several channels take, built from their one definition in src/shared. */
export const RotationPolicyInput = z
  .object({ rotateEveryDays: z.number().int().min(ROTATE_EVERY_DAYS.min).max(ROTATE_EVERY_DAYS.max), basis: z.enum(ROTATION_BASES) })
  .strict() satisfies z.ZodType<RotationPolicy>;
