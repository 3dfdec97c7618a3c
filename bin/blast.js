#!/usr/bin/env node
// The `blast` CLI. The TypeScript sources are compiled to dist/ by `npm install` (prepare) and `npm run build`.
import { main } from '../dist/server/cli/main.js';

// `blast radius | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
