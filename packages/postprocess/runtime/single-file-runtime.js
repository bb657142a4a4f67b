// Serves a single-file PlayCanvas build from the inert blocks it carries (<script type="text/plain"
// data-pc-file="path">): the engine's requests (config, scenes, assets, font pages, texture variants), its script
// loads and the images the loading screen shows are answered from them by the URL the engine asks for, so the
// page makes no request at all. Classic builds run it after the engine and __settings__.js, before __start__.js,
// as installSingleFile(window.pc, window.PRELOAD_MODULES); ES module builds import it into their one bundle and
// install it with the engine module's own namespace before the bootstrap runs. Written for engine v2 (verified
// with 2.23.3): it replaces pc.Http#get and pc.ScriptHandler#_loadScript, and reports clearly when an engine
// lacks them.
/**
 * `modules`: the classic PRELOAD_MODULES (their URLs become blob: URLs); null: WasmModule.setConfig is wrapped instead.
 * `pc` undefined: only the page's own hooks now; the engine's with the function returned.
 */
// biome-ignore lint/correctness/noUnusedVariables: called by the page (classic) or exported by the bundle (ES modules)
const installSingleFile = (pc, modules, assetPrefix) => {
  const blocks = new Map();
  for (const element of document.querySelectorAll('script[data-pc-file]'))
    blocks.set(element.getAttribute('data-pc-file'), element);

  const pathOf = (url) => {
    if (typeof url !== 'string') return null;
    let path = url.split('#')[0].split('?')[0];
    const prefix = assetPrefix || '';
    if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
    path = path.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    try {
      path = decodeURIComponent(path);
    } catch {
      // kept as written
    }
    return blocks.has(path) ? path : null;
  };

  const fromBase64 = (text) => {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  const decoded = new Map();
  // bytes of a block, decoded once: text, json-string, base64 or gzip-base64
  const bytesOf = (path) => {
    if (!decoded.has(path)) {
      const element = blocks.get(path);
      const body = element.textContent;
      const encoding = element.getAttribute('data-pc-encoding');
      let bytes;
      if (encoding === 'base64') bytes = Promise.resolve(fromBase64(body));
      else if (encoding === 'gzip-base64')
        bytes = new Response(new Blob([fromBase64(body)]).stream().pipeThrough(new DecompressionStream('gzip')))
          .arrayBuffer()
          .then((b) => new Uint8Array(b));
      else if (encoding === 'json-string') bytes = Promise.resolve(new TextEncoder().encode(JSON.parse(body)));
      else bytes = Promise.resolve(new TextEncoder().encode(body));
      decoded.set(path, bytes);
    }
    return decoded.get(path);
  };
  const textOf = (path) => bytesOf(path).then((bytes) => new TextDecoder().decode(bytes));
  const mimeOf = (path) => blocks.get(path).getAttribute('data-pc-mime') || 'application/octet-stream';

  // images the page shows itself (the loading screen's logo): data: URLs from their blocks
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src');
  Object.defineProperty(HTMLImageElement.prototype, 'src', {
    configurable: true,
    enumerable: src.enumerable,
    get() {
      return src.get.call(this);
    },
    set(url) {
      const path = pathOf(url);
      const element = path && blocks.get(path);
      if (element && element.getAttribute('data-pc-encoding') === 'base64')
        src.set.call(this, `data:${mimeOf(path)};base64,${element.textContent}`);
      else src.set.call(this, url);
    },
  });

  // the engine's loaders: installed now (classic: window.pc), or once the engine is there (a concatenated ES
  // module build's engine is inside its bundle, whose loading screen shows the logo before it hands the engine over)
  const withEngine = (pc, modules) => {
    // a playable (playable()) holds the app until its container says the ad is shown
    if (typeof window.__pcPlayableEngine === 'function') window.__pcPlayableEngine(pc);
    const missing = (what) =>
      console.error(
        `single file: this engine has no ${what}; the single-file runtime was written for engine v2 (2.23)`,
      );
    if (!pc?.Http?.prototype.get) {
      missing('pc.Http#get');
      return;
    }

    // what an XMLHttpRequest would have given the handler, after Http#_guessResponseType and Http#_onSuccess
    const responseFor = (path, url, options) => {
      const extension = (url.split('?')[0].match(/\.[^./]*$/) || [''])[0].toLowerCase();
      const type =
        options.responseType ||
        (pc.Http.binaryExtensions.includes(extension)
          ? 'arraybuffer'
          : extension === '.json'
            ? 'json'
            : extension === '.xml'
              ? 'document'
              : 'text');
      if (type === 'arraybuffer') return bytesOf(path).then((bytes) => bytes.buffer);
      if (type === 'blob') return bytesOf(path).then((bytes) => new Blob([bytes], { type: mimeOf(path) }));
      return textOf(path).then((text) => {
        if (type === 'json' || mimeOf(path) === 'application/json') return JSON.parse(text);
        if (type === 'document') return new DOMParser().parseFromString(text, 'application/xml');
        return text;
      });
    };

    // textures get their bytes with the config (Asset file.contents), so the engine never needs their URL
    const withTextureContents = (config) => {
      const pending = [];
      for (const asset of Object.values(config.assets || {})) {
        const path = asset.file && pathOf(asset.file.url);
        // (not with compressed variants: the engine may pick one of those, asked for by its own URL)
        const variants = asset.file?.variants && Object.keys(asset.file.variants).length > 0;
        if (path && !variants && (asset.type === 'texture' || asset.type === 'textureatlas')) {
          pending.push(
            bytesOf(path).then((bytes) => {
              asset.file.contents = bytes.buffer;
            }),
          );
        }
      }
      return Promise.all(pending).then(() => config);
    };

    const get = pc.Http.prototype.get;
    pc.Http.prototype.get = function (url, options, callback) {
      if (typeof options === 'function') {
        callback = options;
        options = {};
      }
      options = options || {};
      const path = pathOf(url);
      if (!path) return get.call(this, url, options, callback);
      responseFor(path, url, options)
        .then((response) =>
          response?.application_properties && response.assets ? withTextureContents(response) : response,
        )
        .then(
          (response) => {
            if (options.progress?.fire) options.progress.fire('progress', 1, 1);
            callback(null, response);
          },
          (error) => callback(error),
        );
    };

    // game scripts run as inline scripts, exactly their block's text (a strict policy lists its hash), in the
    // order the loader asks for them, whatever their decoding time
    if (pc.ScriptHandler?.prototype._loadScript) {
      const nonce = document.currentScript?.nonce;
      const loadScript = pc.ScriptHandler.prototype._loadScript;
      let queue = Promise.resolve();
      pc.ScriptHandler.prototype._loadScript = function (url, callback) {
        const path = pathOf(url);
        if (!path) return loadScript.call(this, url, callback);
        const cache = this._cache;
        const text = textOf(path);
        queue = queue
          .then(() => text)
          .then(
            (code) => {
              const element = document.createElement('script');
              if (nonce) element.nonce = nonce;
              element.text = code;
              cache[url] = element;
              document.head.appendChild(element);
              callback(null, url, element);
            },
            (error) => callback(error),
          );
      };
    } else {
      missing('pc.ScriptHandler#_loadScript');
    }

    // WebAssembly modules: the engine loads glue with <script src> and the module with fetch; give it blob: URLs
    const blobUrls = (module) => {
      for (const key of ['glueUrl', 'wasmUrl', 'fallbackUrl']) {
        const path = pathOf(module[key]);
        if (!path) continue;
        const element = blocks.get(path);
        const encoding = element.getAttribute('data-pc-encoding');
        const body = element.textContent;
        // decoded now (the engine reads these URLs synchronously); the single file never gzips these blocks
        const bytes =
          encoding === 'base64'
            ? fromBase64(body)
            : new TextEncoder().encode(encoding === 'json-string' ? JSON.parse(body) : body);
        module[key] = URL.createObjectURL(new Blob([bytes], { type: mimeOf(path) }));
      }
      return module;
    };
    if (modules) for (const module of modules) blobUrls(module);
    else if (pc.WasmModule?.setConfig) {
      // an ES module build's PRELOAD_MODULES are constants of its bundle: the URLs are swapped where the engine
      // takes them
      const setConfig = pc.WasmModule.setConfig;
      pc.WasmModule.setConfig = function (moduleName, config) {
        return setConfig.call(this, moduleName, config ? blobUrls({ ...config }) : config);
      };
    }
  };
  if (pc !== undefined) withEngine(pc, modules);
  return withEngine;
};
