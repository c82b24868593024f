/**
 * The name of Token Vault's command line: the npm binary, the launcher the desktop packages install, the link macOS
 * "Install Command Line Tool…" makes, and the Linux desktop entry (electron-builder's `executableName`). One
 * definition: the shell names files after it, the command line words itself with it.
 */
export const COMMAND_NAME = 'token-vault';
