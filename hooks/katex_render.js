// Typesets TeX with the KaTeX from node_modules, for hooks/math.py.
//
// One process serves a whole build: it reads one JSON request per line on
// stdin, {"tex": [..], "display": [..]}, and answers one JSON line,
// {"html": [..], "errors": [..]}, where errors[i] is null or KaTeX's
// message for tex[i] (then html[i] is null).
"use strict";

const path = require("path");
const readline = require("readline");

const katex = require(
  path.join(__dirname, "..", "node_modules", "katex", "dist", "katex.js"),
);

// The options the browser used before math moved to the build (the old
// docs/assets/js/katex-init.js): no macros; errors are reported, not drawn.
const OPTIONS = { throwOnError: true, strict: "warn", output: "htmlAndMathml" };

function render(tex, display) {
  try {
    return [
      katex.renderToString(tex, Object.assign({ displayMode: display }, OPTIONS)),
      null,
    ];
  } catch (err) {
    return [null, String(err && err.message ? err.message : err)];
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const request = JSON.parse(line);
  const html = [];
  const errors = [];
  request.tex.forEach((tex, i) => {
    const [out, err] = render(tex, Boolean(request.display[i]));
    html.push(out);
    errors.push(err);
  });
  process.stdout.write(JSON.stringify({ html, errors }) + "\n");
});
