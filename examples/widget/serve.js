'use strict'
// Serves the widget example as a school site would: the page at /, the browser package under
// /metiers/ (full build) and /metiers-lite/ (light build), the example catalogue under /data/.
// Loopback only. Build the package first: bash bindings-js/build.sh
//
//   node examples/widget/serve.js [port]      then open http://127.0.0.1:8080/
const http = require('node:http')
const fs = require('node:fs')
const path = require('node:path')

const repo = path.join(__dirname, '..', '..')
const ROOTS = [
  ['/metiers/', path.join(repo, 'bindings-js', 'pkg-web')],
  ['/metiers-lite/', path.join(repo, 'bindings-js', 'pkg-web-lite')],
  ['/data/', path.join(repo, 'examples', 'data')],
  ['/', __dirname]
]
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.css': 'text/css; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8'
}

/** The file a URL path stands for, or null (outside the served folders, or missing). */
function resolve (urlPath) {
  const [prefix, dir] = ROOTS.find(([p]) => urlPath.startsWith(p))
  let rel = decodeURIComponent(urlPath.slice(prefix.length))
  if (rel === '' || rel.endsWith('/')) rel += 'index.html'
  const file = path.resolve(dir, rel)
  if (!file.startsWith(dir + path.sep)) return null
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null
}

function server () {
  return http.createServer((req, res) => {
    const file = resolve(new URL(req.url, 'http://localhost').pathname)
    if (req.method !== 'GET' || !file) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' })
      res.end(req.method === 'GET' ? 'not found\n' : 'GET only\n')
      return
    }
    // A precompressed file (bindings-js/build.sh writes .br and .gz beside each) when the
    // browser accepts its encoding, as nginx's brotli_static / gzip_static do.
    const accepted = String(req.headers['accept-encoding'] || '')
    const encoding = [['br', '.br'], ['gzip', '.gz']].find(([name, ext]) =>
      new RegExp(`\\b${name}\\b`).test(accepted) && fs.existsSync(file + ext))
    const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', vary: 'accept-encoding' }
    if (encoding) headers['content-encoding'] = encoding[0]
    res.writeHead(200, headers)
    fs.createReadStream(encoding ? file + encoding[1] : file).pipe(res)
  })
}

/** Starts the server on 127.0.0.1 (port 0: any free port); resolves with it and its base URL. */
function start (port = 0) {
  return new Promise((resolve, reject) => {
    const s = server()
    s.on('error', reject)
    s.listen(port, '127.0.0.1', () => resolve({ server: s, url: `http://127.0.0.1:${s.address().port}/` }))
  })
}

if (require.main === module) {
  for (const dir of ['pkg-web', 'pkg-web-lite']) {
    if (!fs.existsSync(path.join(repo, 'bindings-js', dir, 'metiers-widget.js'))) {
      console.error(`bindings-js/${dir} is missing: run bash bindings-js/build.sh first`)
      process.exit(1)
    }
  }
  start(Number(process.argv[2] || 8080)).then(({ url }) => {
    console.log(`widget example on ${url} (the light build with a site catalogue: ${url}lite.html)`)
  })
}

module.exports = { start }
