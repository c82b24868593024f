/**
 * The port through which the sharing engine talks to the local vault. The vault implements it (`vault.sharing`); its
 * record shapes and its guarantees (one transaction per sync with compare-and-set, tombstones that outlive records,
 * what is sealed at rest) are defined once, beside the tables that store them: src/main/vault/sharing/share-records.ts.
 */
export { sharedFieldNames, sharedTokenFieldsSchema, sharedWorkspaceFieldsSchema } from './shared-fields';
export {
  SHARED_RECORD_KINDS,
  type DeviceKeys,
  type HistoryEntry,
  type LocalRecord,
  type MemberRemovedMark,
  type RecordRef,
  type RecordSyncState,
  type SecretCandidate,
  type SharedRecordKind,
  type SharedRecordValues,
  type SharedTokenFields,
  type SharedWorkspaceFields,
  type ShareError,
  type ShareState,
  type SyncBatch,
  type SyncRef,
  type VaultSharing as SharingPort,
} from '../../vault';
