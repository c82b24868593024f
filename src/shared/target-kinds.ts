/**
 * The kinds of deployment target. Apart from deployment-targets.ts (which re-exports them with the schemas) so the
 * vault can tell a stored target of a kind this version knows without loading zod.
 */
export const FILE_TARGET_KINDS = ['dotenv', 'npmrc', 'json', 'yaml', 'docker'] as const;
export const REMOTE_TARGET_KINDS = ['gitlab-variable', 'gitea-secret', 'github-secret', 'vault-kv'] as const;
export const TARGET_KINDS = [...FILE_TARGET_KINDS, ...REMOTE_TARGET_KINDS] as const;
export type FileTargetKind = (typeof FILE_TARGET_KINDS)[number];
export type RemoteTargetKind = (typeof REMOTE_TARGET_KINDS)[number];
export type TargetKind = (typeof TARGET_KINDS)[number];
