#!/usr/bin/env node
// `woo-zoho-bridge <command>`: runs the TypeScript CLI (src/cli/index.ts) through tsx, as
// `npm start` runs the server, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/index.ts', import.meta.url).href);
