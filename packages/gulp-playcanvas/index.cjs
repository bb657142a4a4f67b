'use strict';
// CommonJS entry: `const playcanvas = require('@gulp-playcanvas/gulp-playcanvas')` gets the plugin function itself.
// Node >= 20.19 loads the ES module through require(esm).
const esm = require('./dist/index.js');

module.exports = esm.default;
for (const [key, value] of Object.entries(esm)) {
  if (key !== 'default') module.exports[key] = value;
}
module.exports.default = esm.default;
