// Types of the ES module entry (lib/index.mjs): those of the CommonJS entry.
export * from './index.js'
import * as metiers from './index.js'
export default metiers
