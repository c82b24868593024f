import { setTimeout as sleep } from 'node:timers/promises';
import type { FileTargetKind, FileTargetSpec, TargetSpecOf } from '../../../shared/deployment-targets';
import { ConcurrentChange, readTargetFile, replaceTargetFile } from './atomic-file';
import { dockerFormat } from './docker-format';
import { dotenvFormat } from './dotenv-format';
import type { EditResult, FileFormat } from './file-format';
import { jsonFormat } from './json-format';
import { npmrcFormat } from './npmrc-format';
import { TargetFailure } from './target-failure';
import { yamlFormat } from './yaml-format';

/** A format bound to one target's spec. */
interface BoundFormat {
  edit(text: string | null, secret: string): EditResult;
  read(text: string): string[];
  expected(secret: string): string;
}

const bound = <K extends FileTargetKind>(format: FileFormat<K>, spec: TargetSpecOf<K>): BoundFormat => ({
  edit: (text, secret) => format.edit(text, spec, secret),
  read: (text) => format.read(text, spec),
  expected: (secret) => format.expected(spec, secret),
});

function formatOf(spec: FileTargetSpec): BoundFormat {
  switch (spec.kind) {
    case 'dotenv':
      return bound(dotenvFormat, spec);
    case 'npmrc':
      return bound(npmrcFormat, spec);
    case 'json':
      return bound(jsonFormat, spec);
    case 'yaml':
      return bound(yamlFormat, spec);
    case 'docker':
      return bound(dockerFormat, spec);
  }
}

const BOM = '\uFEFF';

/** The file's text without its byte-order mark (kept aside and put back), or a refusal for bytes that are not UTF-8. */
function textOf(content: Buffer): { bom: boolean; text: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    throw new TargetFailure('unparsable', 'The file is not UTF-8 text; it was left as it was.', 'not-utf8');
  }
  return text.startsWith(BOM) ? { bom: true, text: text.slice(1) } : { bom: false, text };
}

export interface FileWrite {
  change: 'created' | 'updated' | 'unchanged';
  fileCreated: boolean;
  requoted: boolean;
  occurrences: number;
}

/**
 * Rounds of read-edit-replace when another writer keeps changing the file under us. Each lost round waits a random,
 * growing while, so two writers in step fall out of it; 8 rounds were not enough for two Token Vault processes
 * writing one file in a tight loop (one gave up as "busy" on a loaded machine). 24 rounds wait about 6 s at most.
 */
const MAX_ROUNDS = 24;

/**
 * Writes the secret into the file at the spec's place: read, edit in memory (the format checks its own result),
 * replace atomically. If the file changes between the read and the replace, the edit is redone on the new content,
 * so a concurrent writer's change to another key is not silently undone (see replaceTargetFile for what remains).
 */
export async function writeFileTarget(spec: FileTargetSpec, secret: string): Promise<FileWrite> {
  const format = formatOf(spec);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let snap;
    try {
      snap = await readTargetFile(spec.path);
    } catch (e) {
      if (e instanceof ConcurrentChange) continue;
      throw e;
    }
    const { bom, text } = snap.content === null ? { bom: false, text: null } : textOf(snap.content);
    const edit = format.edit(text, secret);
    if (snap.content !== null && edit.change === 'unchanged') return { change: 'unchanged', fileCreated: false, requoted: false, occurrences: edit.occurrences };
    try {
      await replaceTargetFile(snap, Buffer.from((bom ? BOM : '') + edit.text, 'utf8'));
    } catch (e) {
      if (!(e instanceof ConcurrentChange)) throw e;
      await sleep(5 + Math.random() * 20 * (round + 1));
      continue;
    }
    return { change: snap.content === null ? 'created' : edit.change, fileCreated: snap.content === null, requoted: edit.requoted, occurrences: edit.occurrences };
  }
  throw new TargetFailure('io-error', 'The file kept changing while Token Vault was writing it; it was left as the other writer made it.', 'busy');
}

/** Reads the file again and compares what its consumer would read with the secret. */
export async function checkFileTarget(spec: FileTargetSpec, secret: string): Promise<'value-read-back' | 'missing' | 'value-differs'> {
  const format = formatOf(spec);
  let snap;
  for (let round = 0; ; round++) {
    try {
      snap = await readTargetFile(spec.path);
      break;
    } catch (e) {
      if (!(e instanceof ConcurrentChange) || round >= MAX_ROUNDS) throw e;
    }
  }
  if (snap.content === null) return 'missing';
  const values = format.read(textOf(snap.content).text);
  if (values.length === 0) return 'missing';
  const want = format.expected(secret);
  return values.every((v) => v === want) ? 'value-read-back' : 'value-differs';
}
