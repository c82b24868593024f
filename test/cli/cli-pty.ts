import { spawn } from 'node:child_process';
import { BIN } from './cli-support';

/**
 * The real command line on a real terminal: util-linux `script` gives it a pseudo-terminal (stdin, stdout and stderr
 * are a TTY, as when a person types), sized `columns` wide. `answers` are typed only once their prompt has appeared,
 * as a person would (text typed earlier would be echoed by the terminal before the program could hide it).
 */
export interface PtyRun {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr together, \r\n line ends). */
  output: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function cliInPty(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; columns?: number; answers?: { after: RegExp; type: string }[]; timeoutMs?: number } = {},
): Promise<PtyRun> {
  const command = `stty cols ${options.columns ?? 80} rows 24; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], TERM: 'xterm', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pending = [...(options.answers ?? [])];
    let output = '';
    let seen = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within ${options.timeoutMs ?? 20_000} ms; the terminal showed:\n${output}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      const next = pending[0];
      if (next && next.after.test(output.slice(seen))) {
        pending.shift();
        seen = output.length;
        child.stdin.write(next.type);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
