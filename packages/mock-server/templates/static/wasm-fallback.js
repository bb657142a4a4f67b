// Fallback of the WebAssembly module {{moduleName}}, for browsers the engine finds without WebAssembly.
var {{moduleName}} = function () {
    window.__wasmLoaded = 'fallback:' + (2 + 3);
    return Promise.resolve({ add: function (a, b) { return a + b; } });
};
