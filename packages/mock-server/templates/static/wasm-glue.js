// Glue of the WebAssembly module {{moduleName}}, shaped like Emscripten's: window.{{moduleName}}(options) compiles
// the module that options.locateFile names and resolves to its exports. The module adds two numbers.
var {{moduleName}} = function (options) {
    return fetch(options.locateFile('{{wasmFile}}'))
        .then(function (response) { return response.arrayBuffer(); })
        .then(function (bytes) { return WebAssembly.instantiate(bytes, {}); })
        .then(function (result) {
            window.__wasmLoaded = 'wasm:' + result.instance.exports.add(2, 3);
            return result.instance.exports;
        });
};
