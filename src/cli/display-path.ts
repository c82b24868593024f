import { relative, resolve, sep } from 'node:path';

/** Paths under the current folder relative to it, under home as ~/..., others as they are. */
export function displayPath(home: string): (path: string) => string {
  const cwd = resolve('.');
  return (path) => {
    if (path.startsWith(cwd + sep)) return relative(cwd, path);
    if (home && path.startsWith(home + sep)) return `~${sep}${relative(home, path)}`;
    return path;
  };
}
