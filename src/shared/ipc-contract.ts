import type { z } from 'zod';
import type { Camel, Channel } from './ipc/define-channel';
import type { Result } from './result';
import { vaultChannels, type VaultEvents } from './ipc/vault-channels';
import { remindersChannels, type RemindersEvents } from './ipc/reminders-channels';
import { rotationChannels, type RotationEvents } from './ipc/rotation-channels';
import { targetsChannels, type TargetsEvents } from './ipc/targets-channels';
import { workspacesChannels, type WorkspacesEvents } from './ipc/workspaces-channels';
import { tokenOperationChannels, type TokenOperationEvents } from './ipc/tokens-channels';
import { tokenViewChannels, type TokenViewEvents } from './ipc/token-view-channels';
import { trashChannels } from './ipc/trash-channels';
import { backupChannels } from './ipc/backup-channels';
import { transferChannels, type ChosenImportFile } from './ipc/transfer-channels';
import { desktopChannels } from './ipc/desktop-channels';
import { shareChannels, type ShareEvents } from './ipc/share-channels';
import { operationsChannels, type OperationsEvents } from './ipc/operations-channels';
import { scanChannels, type ScanEvents } from './ipc/scan-channels';

/**
 * The one typed contract between renderer and main. Every invoke channel is `domain:verb-noun` -> (input) ->
 * Promise<Result<T>>; every event main -> renderer is listed in `EventMap`. The preload, the main-side registration
 * and the end-to-end bridge all derive from these objects; nothing is typed twice.
 * Each domain keeps its channels in its own file under ./ipc/.
 */
export const invokeChannels = {
  ...vaultChannels,
  ...remindersChannels,
  ...rotationChannels,
  ...workspacesChannels,
  ...tokenOperationChannels,
  ...tokenViewChannels,
  ...operationsChannels,
  ...targetsChannels,
  ...trashChannels,
  ...backupChannels,
  ...transferChannels,
  ...desktopChannels,
  ...shareChannels,
  ...scanChannels,
} as const;

export type EventMap = VaultEvents & RemindersEvents & WorkspacesEvents & TokenOperationEvents & TokenViewEvents & OperationsEvents & RotationEvents & TargetsEvents & ScanEvents & ShareEvents;

/** Run-time list of the events, checked against EventMap so neither can drift. */
export const EVENT_NAMES = ['vault:locked', 'reminders:changed', 'sync:progress', 'tokens:changed', 'clipboard:cleared', 'operations:changed', 'rotation:progress', 'targets:progress', 'scan:progress', 'share:sync-state'] as const satisfies readonly (keyof EventMap)[];
type MissingEvents = Exclude<keyof EventMap, (typeof EVENT_NAMES)[number]>;
const everyEventListed: [MissingEvents] extends [never] ? true : MissingEvents = true;
void everyEventListed;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventName = keyof EventMap;
export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];

/**
 * Channels main serves but the page gets no function for: only the preload's own code sends them.
 * `transfer:accept-dropped-file` carries a path, which must come from Electron (webUtils.getPathForFile on a File the
 * user dropped), never from the page; the page gets `transfer.importDroppedFile(file)` instead.
 */
export const PRELOAD_ONLY_CHANNELS = ['transfer:accept-dropped-file'] as const satisfies readonly InvokeChannel[];
type PreloadOnlyChannel = (typeof PRELOAD_ONLY_CHANNELS)[number];
type PageChannel = Exclude<InvokeChannel, PreloadOnlyChannel>;
/** The channels the page has a function for. */
export const PAGE_CHANNELS = INVOKE_CHANNELS.filter((c): c is PageChannel => !(PRELOAD_ONLY_CHANNELS as readonly string[]).includes(c));

type SchemaOf<C extends InvokeChannel> = (typeof invokeChannels)[C] extends Channel<infer I, unknown> ? I : never;
/** What the renderer passes. */
export type InputOf<C extends InvokeChannel> = z.input<SchemaOf<C>>;
/** What a main-side handler receives after validation. */
export type ParsedInputOf<C extends InvokeChannel> = z.output<SchemaOf<C>>;
export type OutputOf<C extends InvokeChannel> = (typeof invokeChannels)[C] extends Channel<z.ZodType, infer O> ? O : never;

type DomainOf<N extends string> = N extends `${infer D}:${string}` ? D : never;
type Domain = DomainOf<PageChannel> | DomainOf<EventName>;

/** `window.tokenVault`: what buildApi() makes of the contract. */
export type TokenVaultApi = {
  readonly [D in Domain]: {
    readonly [C in PageChannel as C extends `${D}:${infer V}` ? Camel<V> : never]: (
      ...input: undefined extends InputOf<C> ? [input?: InputOf<C>] : [input: InputOf<C>]
    ) => Promise<Result<OutputOf<C>>>;
  } & {
    readonly [E in EventName as E extends `${D}:${infer V}` ? `on${Capitalize<Camel<V>>}` : never]: (
      listener: (payload: EventMap[E]) => void,
    ) => () => void;
  };
} & {
  readonly transfer: {
    /**
     * A file dropped on the window -> an id main keeps its path behind (the preload asks Electron for the path; the
     * page never sees it). Fails for what is not a regular file on disk.
     */
    readonly importDroppedFile: (file: File) => Promise<Result<ChosenImportFile>>;
  };
};
