// Loads the WebAssembly modules of PRELOAD_MODULES itself (the engine 1.5x template): the glue script of each
// (or its fallback where WebAssembly is missing) in a <script>, then window[moduleName]({ locateFile }).
var loadModules = function (modules, urlPrefix, doneCallback) { // eslint-disable-line no-unused-vars

    // can this browser compile and run a module?
    function wasmSupported() {
        try {
            if (typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function") {
                const module = new WebAssembly.Module(Uint8Array.of(0x0, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
                if (module instanceof WebAssembly.Module)
                    return new WebAssembly.Instance(module) instanceof WebAssembly.Instance;
            }
        } catch (e) { }
        return false;
    }

    // add a script to the page, call back once it ran
    function loadScriptAsync(url, doneCallback) {
        var tag = document.createElement('script');
        tag.onload = function () {
            doneCallback();
        };
        tag.onerror = function () {
            throw new Error('failed to load ' + url);
        };
        tag.async = true;
        tag.src = url;
        tag.crossOrigin = 'anonymous';
        document.head.appendChild(tag);
    }

    // run a module's glue, which compiles the module binaryUrl names, and keep the instance as the global
    function loadWasmModuleAsync(moduleName, jsUrl, binaryUrl, doneCallback) {
        loadScriptAsync(jsUrl, function () {
            var lib = window[moduleName];
            window[moduleName + 'Lib'] = lib;
            lib({ locateFile: function () { return binaryUrl; } }).then(function (instance) {
                window[moduleName] = instance;
                doneCallback();
            });
        });
    }

    if (typeof modules === "undefined" || modules.length === 0) {
        // keep the callback asynchronous for callers that rely on it
        setTimeout(doneCallback);
    } else {
        var remaining = modules.length;
        var moduleLoaded = function () {
            remaining--;
            if (remaining === 0) {
                doneCallback();
            }
        };

        var wasm = wasmSupported();
        modules.forEach(function (m) {
            if (!m.hasOwnProperty('preload') || m.preload) {
                if (wasm) {
                    loadWasmModuleAsync(m.moduleName, urlPrefix + m.glueUrl, urlPrefix + m.wasmUrl, moduleLoaded);
                } else {
                    if (!m.fallbackUrl) {
                        throw new Error('no WebAssembly and no fallback for module ' + m.moduleName);
                    }
                    loadWasmModuleAsync(m.moduleName, urlPrefix + m.fallbackUrl, "", moduleLoaded);
                }
            } else {
                moduleLoaded();
            }
        });
    }
};
