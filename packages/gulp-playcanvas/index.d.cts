import playcanvas = require('./dist/index.js');

export = playcanvas.default;
