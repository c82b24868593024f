import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { AppFailure } from '../../errors';

/**
 * Files the user picked in the OS dialog, by an opaque id: the window refers to "the file you chose" and never sends
 * main a path to read. The newest few are kept (a preview, then the import, of the same file).
 */
export class ChosenFiles {
  private readonly files = new Map<string, string>();

  constructor(private readonly keep = 8) {}

  add(path: string): { fileId: string; fileName: string } {
    const fileId = randomUUID();
    this.files.set(fileId, path);
    while (this.files.size > this.keep) {
      const oldest = this.files.keys().next().value;
      if (oldest === undefined) break;
      this.files.delete(oldest);
    }
    return { fileId, fileName: basename(path) };
  }

  path(fileId: string): string {
    const path = this.files.get(fileId);
    if (!path) throw new AppFailure('not-found', 'Choose the file again: Token Vault no longer knows which file it was.');
    return path;
  }

  forget(fileId: string): void {
    this.files.delete(fileId);
  }
}
