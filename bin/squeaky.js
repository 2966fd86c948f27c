#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`squeaky decode ... | head`) closes the pipe: that is not an error.
// Any other failure to write standard output (a full disk, `> /dev/full`) is the user's to fix.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`squeaky: cannot write to standard output (${e.code ?? e.message}); the output is incomplete\n`);
  process.exit(2);
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
