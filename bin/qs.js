#!/usr/bin/env node
// The `qs` command. Runs from source through SWC so `git clone && npm install` is enough.
'use strict';
require('@swc-node/register');
require('../cli/main')
  .main(process.argv)
  .catch((err) => {
    console.error(err && err.message ? `qs: ${err.message}` : err);
    process.exit(1);
  });
