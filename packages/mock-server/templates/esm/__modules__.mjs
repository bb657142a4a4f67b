import { WasmModule, basisInitialize, dracoInitialize } from './playcanvas-stable.min.mjs';

// Loads the WebAssembly modules of PRELOAD_MODULES (Ammo, BASIS, Draco...); resolves once each has loaded.
const loadModules = function(modules, urlPrefix) {
    return new Promise((resolve)=>{
        if (typeof modules === "undefined" || modules.length === 0) {
            resolve();
        } else {
            let remaining = modules.length;
            const moduleLoaded = ()=>{
                if (--remaining === 0) {
                    resolve();
                }
            };
            modules.forEach(function(m) {
                WasmModule.setConfig(m.moduleName, {
                    glueUrl: urlPrefix + m.glueUrl,
                    wasmUrl: urlPrefix + m.wasmUrl,
                    fallbackUrl: urlPrefix + m.fallbackUrl
                });
                if (!m.hasOwnProperty('preload') || m.preload) {
                    if (m.moduleName === 'BASIS') {
                        basisInitialize();
                        moduleLoaded();
                    } else if (m.moduleName === 'DracoDecoderModule') {
                        if (dracoInitialize) {
                            dracoInitialize();
                            moduleLoaded();
                        } else {
                            WasmModule.getInstance(m.moduleName, moduleLoaded);
                        }
                    } else {
                        // any other module is loaded into the global scope
                        WasmModule.getInstance(m.moduleName, moduleLoaded);
                    }
                } else {
                    moduleLoaded();
                }
            });
        }
    });
};

export { loadModules };
