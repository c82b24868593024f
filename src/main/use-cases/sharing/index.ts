/** The sharing engine's public surface (issue 14): the engine, its port, and its structured outcomes. */
export { SharingEngine, type SharingEngineOptions, type SyncAllResult } from './sharing-engine';
export type { SyncStep } from './share-sync';
export * from './sharing-port';
export * from './sharing-types';
