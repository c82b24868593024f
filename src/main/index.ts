// Placeholder entry; the shell lands with issue 2.
export {};
