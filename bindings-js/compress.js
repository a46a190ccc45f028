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

function files (dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? files(p) : SERVED.test(e.name) ? [p] : []
  })
}

for (const dir of process.argv.slice(2)) {
  const total = { raw: 0, gz: 0, br: 0 }
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
    total.raw += data.length
    total.gz += gz.length
    total.br += br.length
  }
  const kib = (n) => `${Math.round(n / 1024)} KiB`
  console.log(`${path.basename(dir)}: ${kib(total.raw)} as is, ${kib(total.gz)} gzip, ${kib(total.br)} brotli (precompressed .gz and .br beside each file)`)
}
