import type * as esm from './dist/index.js';

/** `const playcanvas = require('@gulp-playcanvas/gulp-playcanvas')`: the plugin function, with the ES module's types beside it. */
declare const playcanvas: typeof esm.default & {
  default: typeof esm.default;
  PLUGIN_NAME: typeof esm.PLUGIN_NAME;
  check: typeof esm.check;
  csp: typeof esm.csp;
  singleFile: typeof esm.singleFile;
  assetPrefix: typeof esm.assetPrefix;
  stampVersion: typeof esm.stampVersion;
};

declare namespace playcanvas {
  export type PlayCanvasOptions = esm.PlayCanvasOptions;
  export type PluginOnlyOptions = esm.PluginOnlyOptions;
  export type BuildOptions = esm.BuildOptions;
  export type ExportOptions = esm.ExportOptions;
  export type CspOptions = esm.CspOptions;
  export type SingleFileOptions = esm.SingleFileOptions;
  export type SizeReport = esm.SizeReport;
  export type AssetPrefixOptions = esm.AssetPrefixOptions;
  export type StampVersionOptions = esm.StampVersionOptions;
}

export = playcanvas;
