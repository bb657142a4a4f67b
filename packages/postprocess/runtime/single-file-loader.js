// Starts a compressed single-file PlayCanvas build: unpacks its boot blocks (the engine and boot scripts,
// gzipped; or an ES module build's one bundle) with DecompressionStream and runs each, exactly its unpacked text, in
// document order: as an inline script, or an inline module for a data-pc-module block (no URL, no fetch, no eval).
(() => {
  const nonce = document.currentScript?.nonce;
  const fromBase64 = (text) => {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  const textOf = (element) => {
    const encoding = element.getAttribute('data-pc-encoding');
    if (encoding === 'gzip-base64')
      return new Response(
        new Blob([fromBase64(element.textContent)]).stream().pipeThrough(new DecompressionStream('gzip')),
      ).text();
    if (encoding === 'json-string') return Promise.resolve(JSON.parse(element.textContent));
    return Promise.resolve(element.textContent);
  };
  const run = (code, element) => {
    const script = document.createElement('script');
    if (element.hasAttribute('data-pc-module')) script.type = 'module';
    if (nonce) script.nonce = nonce;
    script.text = code;
    document.head.appendChild(script);
  };
  const boot = Array.from(document.querySelectorAll('script[data-pc-boot]'));
  Promise.all(boot.map(textOf)).then(
    (codes) => {
      for (const [i, code] of codes.entries()) run(code, boot[i]);
    },
    (error) =>
      console.error(
        `single file: the build could not be unpacked (${error}); this browser may lack DecompressionStream`,
      ),
  );
})();
