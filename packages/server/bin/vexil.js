#!/usr/bin/env node
// The installed `vexil` command: runs the built CLI (npm run build first in a clone, or use `npm start`).
import '../dist/cli/main.js';
