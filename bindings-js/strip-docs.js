'use strict'
// Removes from the browser glue (metiers_web.js) the JSDoc blocks that wasm-bindgen copies
// from the Rust doc comments: a browser does not read them, and the declarations beside it
// (metiers_web.d.ts, which editors and TypeScript read) keep every one. 1.8 KB of the first
// download with brotli (README, "Two builds"). Only whole-line blocks are removed, each line of
// one starting with `*`; anything else stops the build.
//   node bindings-js/strip-docs.js FILE...
const fs = require('node:fs')

for (const file of process.argv.slice(2)) {
  const kept = []
  let open = 0
  for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    if (!open && /^\s*\/\*\*$/.test(line)) {
      open = i + 1
    } else if (open && /^\s*\*\/$/.test(line)) {
      open = 0
    } else if (open && !/^\s*\*/.test(line)) {
      throw new Error(`${file}:${i + 1}: not a doc comment's line, in the one from line ${open}`)
    } else if (!open) {
      kept.push(line)
    }
  }
  if (open) throw new Error(`${file}: the doc comment from line ${open} does not end`)
  fs.writeFileSync(file, kept.join('\n'))
}
