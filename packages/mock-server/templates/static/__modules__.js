// Preloads WASM modules listed in window.PRELOAD_MODULES (Ammo, BASIS, Draco...).
// Only referenced from index.html when PRELOAD_MODULES is non-empty.
var loadModules = function (modules, urlPrefix, doneCallback) { // eslint-disable-line no-unused-vars
    if (typeof modules === 'undefined' || modules.length === 0) {
        // keep the callback asynchronous for callers that rely on it
        setTimeout(doneCallback);
        return;
    }

    let remaining = modules.length;
    const moduleLoaded = () => {
        if (--remaining === 0) {
            doneCallback();
        }
    };

    modules.forEach(function (m) {
        pc.WasmModule.setConfig(m.moduleName, {
            glueUrl: urlPrefix + m.glueUrl,
            wasmUrl: urlPrefix + m.wasmUrl,
            fallbackUrl: urlPrefix + m.fallbackUrl
        });

        if (!m.hasOwnProperty('preload') || m.preload) {
            if (m.moduleName === 'BASIS') {
                pc.basisInitialize();
                moduleLoaded();
            } else if (m.moduleName === 'DracoDecoderModule') {
                if (pc.dracoInitialize) {
                    pc.dracoInitialize();
                    moduleLoaded();
                } else {
                    pc.WasmModule.getInstance(m.moduleName, () => { moduleLoaded(); });
                }
            } else {
                pc.WasmModule.getInstance(m.moduleName, () => { moduleLoaded(); });
            }
        } else {
            moduleLoaded();
        }
    });
};

window.loadModules = loadModules;
