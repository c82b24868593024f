import { spawn, type ChildProcess } from 'node:child_process';

/** A private X display (Xvfb) for tests that need a real X server: its `DISPLAY` value, and the process to kill. */
export function startXvfb(size = '640x480x24'): Promise<{ display: string; xvfb: ChildProcess }> {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', size], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    let out = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, xvfb });
    });
    xvfb.on('error', reject);
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}
