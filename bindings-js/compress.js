'use strict'
// Precompresses what a page downloads from a browser folder (pkg-web/, pkg-web-lite/): beside
// each .wasm, .js and .bin file, a .gz (gzip -9) and a .br (brotli, quality 11), for a server
// that sends a precompressed file when the browser accepts it (nginx gzip_static / brotli_static,
// Apache MultiViews, a CDN). Prints the bytes a page downloads in each encoding.
//   node bindings-js/compress.js bindings-js/pkg-web [more folders]
const fs = require('node:fs')
const path = require('node:path')
const zlib = require('node:zlib')

const SERVED = /\.(wasm|js|bin)$/
// Fetched only by a page that calls `engine.loadRomeTexts`: not part of the first download.
const ON_DEMAND = new Set(['rome-texts.bin'])

function files (dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? files(p) : SERVED.test(e.name) ? [p] : []
  })
}

for (const dir of process.argv.slice(2)) {
  const total = { raw: 0, gz: 0, br: 0 }
  const later = { raw: 0, gz: 0, br: 0 }
  for (const file of files(dir)) {
    const data = fs.readFileSync(file)
    const gz = zlib.gzipSync(data, { level: 9 })
    const br = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.constants.BROTLI_PARAM_MODE]: file.endsWith('.js') ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC
      }
    })
    fs.writeFileSync(`${file}.gz`, gz)
    fs.writeFileSync(`${file}.br`, br)
    const sum = ON_DEMAND.has(path.basename(file)) ? later : total
    sum.raw += data.length
    sum.gz += gz.length
    sum.br += br.length
  }
  const kib = (n) => `${Math.round(n / 1024)} KiB`
  const sizes = (t) => `${kib(t.raw)} as is, ${kib(t.gz)} gzip, ${kib(t.br)} brotli`
  console.log(`${path.basename(dir)}: ${sizes(total)} (precompressed .gz and .br beside each file)` +
    (later.raw ? `; on demand (the métiers' texts): ${sizes(later)}` : ''))
}
