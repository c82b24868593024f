import type { CliCommand } from '../cli-command';

/** A command module, loaded only when that command runs: each run pays only for what it uses. */
export type LazyCommand = () => Promise<CliCommand>;

/**
 * Every `token-vault` command. A key may be one word or two (`workspace add`): the dispatcher takes the longest
 * match. To add one: write src/cli/commands/NAME-command.ts exporting a CliCommand, and add ONE line here of the form
 *   'workspace add': () => import('./workspace-command').then((m) => m.workspaceAddCommand),
 * Keep the import dynamic: a static import makes every run load that module (and zod, providers...), which the
 * `token-vault search` benchmark pays for.
 */
export const commands: Record<string, LazyCommand> = {
  init: () => import('./init-command').then((m) => m.initCommand),
  add: () => import('./add-command').then((m) => m.addCommand),
  list: () => import('./list-command').then((m) => m.listCommand),
  search: () => import('./list-command').then((m) => m.searchCommand),
  get: () => import('./get-command').then((m) => m.getCommand),
  read: () => import('./read-command').then((m) => m.readCommand),
  run: () => import('./run-command').then((m) => m.runCommand),
  inject: () => import('./inject-command').then((m) => m.injectCommand),
  scan: () => import('./scan-command').then((m) => m.scanCommand),
  clip: () => import('./clip-command').then((m) => m.clipCommand),
  remove: () => import('./trash-command').then((m) => m.removeCommand),
  import: () => import('./transfer-import-command').then((m) => m.transferImportCommand),
  export: () => import('./export-command').then((m) => m.exportCommand),
  backup: () => import('./backup-command').then((m) => m.backupCommand),
  // A backup FILE or an item of the trash: the trash's command hands a file to backup-command.
  restore: () => import('./trash-command').then((m) => m.restoreCommand),
  passwd: () => import('./passwd-command').then((m) => m.passwdCommand),
  audit: () => import('./audit-command').then((m) => m.auditCommand),
  reminders: () => import('./reminders-command').then((m) => m.remindersCommand),
  'token rotate': () => import('./token-rotate-command').then((m) => m.tokenRotateCommand),
  'token resume': () => import('./token-rotate-command').then((m) => m.tokenResumeCommand),
  'token snooze': () => import('./token-rotate-command').then((m) => m.tokenSnoozeCommand),
  'token edit': () => import('./token-edit-command').then((m) => m.tokenEditCommand),
  'workspace add': () => import('./workspace-command').then((m) => m.workspaceAddCommand),
  'workspace edit': () => import('./workspace-command').then((m) => m.workspaceEditCommand),
  'workspace list': () => import('./workspace-command').then((m) => m.workspaceListCommand),
  'workspace sync': () => import('./workspace-command').then((m) => m.workspaceSyncCommand),
  'workspace remove': () => import('./workspace-command').then((m) => m.workspaceRemoveCommand),
  trash: () => import('./trash-command').then((m) => m.trashListCommand),
  'trash list': () => import('./trash-command').then((m) => m.trashListCommand),
  'trash empty': () => import('./trash-command').then((m) => m.trashEmptyCommand),
  'token create': () => import('./token-ops-command').then((m) => m.tokenCreateCommand),
  'token regenerate': () => import('./token-ops-command').then((m) => m.tokenRegenerateCommand),
  'token revoke': () => import('./token-ops-command').then((m) => m.tokenRevokeCommand),
  'token activate': () => import('./token-ops-command').then((m) => m.tokenActivateCommand),
  'token deactivate': () => import('./token-ops-command').then((m) => m.tokenDeactivateCommand),
  'share identity': () => import('./share-command').then((m) => m.shareIdentityCommand),
  'share init': () => import('./share-command').then((m) => m.shareInitCommand),
  'share join': () => import('./share-command').then((m) => m.shareJoinCommand),
  'share add-member': () => import('./share-command').then((m) => m.shareAddMemberCommand),
  'share remove-member': () => import('./share-command').then((m) => m.shareRemoveMemberCommand),
  'share members': () => import('./share-command').then((m) => m.shareMembersCommand),
  'share add-workspace': () => import('./share-command').then((m) => m.shareAddWorkspaceCommand),
  'share sync': () => import('./share-command').then((m) => m.shareSyncCommand),
  'share status': () => import('./share-command').then((m) => m.shareStatusCommand),
  'share pick': () => import('./share-command').then((m) => m.sharePickCommand),
  'use add': () => import('./use-command').then((m) => m.useAddCommand),
  'use list': () => import('./use-command').then((m) => m.useListCommand),
  'use remove': () => import('./use-command').then((m) => m.useRemoveCommand),
  'use push': () => import('./use-command').then((m) => m.usePushCommand),
};
