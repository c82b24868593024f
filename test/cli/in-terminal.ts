import * as pty from '@lydell/node-pty';

export interface InTerminal {
  term: pty.IPty;
  /** Everything the terminal has shown so far. */
  output: () => string;
  /** Resolves once `text` has been shown (rejects after 10 s, with the screen so far). */
  waitFor: (text: string) => Promise<void>;
  exit: Promise<number>;
}

/** `file` with `args` in an 80x24 pseudo-terminal the test drives, as a person's terminal emulator would. */
export function inTerminal(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): InTerminal {
  const term = pty.spawn(file, args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: options.cwd, env: options.env });
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  term.onData((d) => {
    out += d;
    for (const w of [...waiters]) if (out.includes(w.text)) w.resolve();
  });
  return {
    term,
    output: () => out,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`"${text}" not seen; screen so far: ${JSON.stringify(out)}`)), 10_000);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    exit: new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode))),
  };
}
