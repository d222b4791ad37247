// Replays review histories through the review page's own scheduler code
// (Notes.cards in docs/assets/js/notes-core.js on the vendored ts-fsrs
// build) and
// prints each review's stored card as JSON. Used by
// tests/test_fsrs_crosscheck.py:  node tests/fsrs_ts_runner.js < plans.json
// where plans.json is [[[ISO time, "Good"], ...], ...].
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const root = path.resolve(__dirname, "..");
// The UMD build as a browser runs it: it sets the global FSRS. (Node would
// load it as an ES module, since ts-fsrs's package.json says "module".)
const umd = path.join(root, "node_modules/ts-fsrs/dist/index.umd.js");
const sandbox = {};
vm.runInNewContext(fs.readFileSync(umd, "utf8"), sandbox, { filename: umd });
const F = sandbox.FSRS;
const core = require(path.join(root, "docs/assets/js/notes-core.js")).cards;

const plans = JSON.parse(fs.readFileSync(0, "utf8"));
const f = core.scheduler(F);
const out = plans.map((plan) => {
  let stored = null;
  return plan.map(([at, grade]) => {
    // Through JSON, as the page stores it between visits.
    stored = JSON.parse(
      JSON.stringify(core.grade(F, f, stored, grade, new Date(at)))
    );
    return stored;
  });
});
process.stdout.write(
  JSON.stringify({ params: core.PARAMS, w: Array.from(F.default_w), out })
);
