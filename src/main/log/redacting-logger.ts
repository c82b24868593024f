/**
 * One logger per module. Every argument passes through `redact` first, so a secret that slips into a message
 * (a token, an Authorization header, a password field) is masked before it reaches stderr or a log file.
 * Still: never hand a secret to a logger on purpose.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEYS = /pass(word)?|secret|token|key|authorization|cookie|credential|access_?key|value|sha1/i;
// Known token shapes, plus any long unbroken run of key-like characters.
const SECRET_SHAPES = [
  /\b(glpat-|glsa_|npm_|ghp_|gh[ousr]_|github_pat_|dckr_(pat|oat)_|HRKU-|sk-[a-z]*-?|sk_(live|test)_|rk_live_|xox[bap]-|hf_|pypi-|dop_v1_|shpat_|lin_api_|SG\.)[A-Za-z0-9_\-.]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9+/=_\-.:]{8,}/gi,
  /[A-Za-z0-9+/=_-]{32,}/g,
];

export function redactText(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, '[redacted]');
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

let threshold: number = LEVELS[(process.env.TOKEN_VAULT_LOG_LEVEL as LogLevel | undefined) ?? 'warn'] ?? LEVELS.warn;
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

/** Tests point the sink somewhere they can read; the app may point it at a log file. */
export function configureLogging(options: { level?: LogLevel; sink?: (line: string) => void }): void {
  if (options.level) threshold = LEVELS[options.level];
  if (options.sink) sink = options.sink;
}

export function createLogger(module: string): Logger {
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold) return;
    const entry = { t: new Date().toISOString(), level, module, msg: redactText(message), ...(fields ? { fields: redact(fields) } : {}) };
    sink(JSON.stringify(entry));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
