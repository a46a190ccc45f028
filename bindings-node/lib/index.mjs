// The package as an ES module (`import { Engine } from 'metiers'`): the same objects as the
// CommonJS entry (lib/index.js), so both kinds of import share one loaded addon.
import cjs from './index.js'

export const { Engine, MetiersError } = cjs
export default cjs
