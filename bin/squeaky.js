#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`squeaky decode ... | head`) closes the pipe: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
