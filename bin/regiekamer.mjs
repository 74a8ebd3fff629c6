#!/usr/bin/env node
// Entry point for `npx regiekamer`: runs the TypeScript CLI through tsx (no build step for the server).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
