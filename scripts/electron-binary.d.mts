export declare function findElectronBinary(root?: string): { path?: string; reason?: string };
