/**
 * The longest secret stored, in characters, on every way in (window, CLI add, every import format): real tokens are
 * far shorter (a JWT with many claims is a few KiB); a bigger "secret" is a mistake (a wrong file, a whole document).
 */
export const MAX_SECRET_CHARS = 16_384;
