#!/usr/bin/env node
// The platform is written in TypeScript and run through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
