// Types of build-server.mjs for the TypeScript tests that import it.
export function newestSource(dir?: string): number;
export function buildServer(opts?: { quiet?: boolean }): void;
