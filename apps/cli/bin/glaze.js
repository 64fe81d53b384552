#!/usr/bin/env node
// Glaze runs its TypeScript sources directly through tsx: no build step for the Node side.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
