/**
 * What each ad network asks of a playable, from its public specification (sources in docs/playables.md): the
 * budget, the files it takes, the scripts it injects, how the ad learns it may start, and its call-to-action.
 */
export type NetworkName =
  | 'meta'
  | 'google'
  | 'applovin'
  | 'unity'
  | 'ironsource'
  | 'mintegral'
  | 'vungle'
  | 'tiktok'
  | 'snapchat';

/** How the page learns the ad is shown: MRAID's ready (and viewable), Mintegral's gameStart(), or at once. */
export type Gate = 'mraid' | 'mintegral' | 'none';

/** The network's call for the call-to-action, as the in-page runtime makes it. */
export type CtaCall = 'fb' | 'exitapi' | 'mraid-open' | 'mraid-store' | 'mintegral' | 'vungle' | 'tiktok';

export interface Network {
  name: NetworkName;
  title: string;
  /** Bytes the upload may have: the HTML, or the zip where the network takes a zip. */
  maxBytes: number;
  /** The HTML's name, and the zip it goes in (with the network's other files), if any. */
  html: string;
  zip?: string;
  /** What the ad calls: the API, in words for the report. */
  api: string;
  /** Script the container serves that the page must load (the MRAID tag, Google's ExitApi). */
  headScript?: string;
  gate: Gate;
  cta: CtaCall;
  /** The network's "the game is over" call, where it has one. */
  end?: 'mintegral' | 'vungle';
  /** mraid.open() needs the store's URL. */
  needsStoreUrl: boolean;
  /** The URL when none is given: Snapchat swaps its click macro for the tracking URL. */
  defaultStoreUrl?: string;
}

const MB = 1024 * 1024;
export const EXIT_API = 'https://tpc.googlesyndication.com/pagead/gadgets/html5/api/exitapi.js';

export const NETWORKS: Record<NetworkName, Network> = {
  meta: {
    name: 'meta',
    title: 'Meta (Facebook, Instagram, Audience Network)',
    maxBytes: 2 * MB,
    html: 'index.html',
    api: 'FbPlayableAd.onCTAClick()',
    gate: 'none',
    cta: 'fb',
    needsStoreUrl: false,
  },
  google: {
    name: 'google',
    title: 'Google Ads (App campaigns)',
    maxBytes: 5 * MB,
    html: 'index.html',
    zip: 'google.zip',
    api: 'ExitApi.exit() (exitapi.js), <meta name="ad.orientation">',
    headScript: EXIT_API,
    gate: 'none',
    cta: 'exitapi',
    needsStoreUrl: false,
  },
  applovin: mraid('applovin', 'AppLovin', 'mraid-open'),
  unity: mraid('unity', 'Unity Ads', 'mraid-open'),
  ironsource: mraid('ironsource', 'ironSource', 'mraid-store'),
  snapchat: {
    ...mraid('snapchat', 'Snapchat', 'mraid-open'),
    needsStoreUrl: false,
    defaultStoreUrl: '{{ .ClickTrackingUrl }}',
  },
  mintegral: {
    name: 'mintegral',
    title: 'Mintegral',
    maxBytes: 5 * MB,
    html: 'index.html',
    api: 'window.gameReady(), gameStart() (the container calls it), window.install(), window.gameEnd()',
    gate: 'mintegral',
    cta: 'mintegral',
    end: 'mintegral',
    needsStoreUrl: false,
  },
  vungle: {
    name: 'vungle',
    title: 'Liftoff / Vungle',
    maxBytes: 5 * MB,
    html: 'ad.html',
    api: "parent.postMessage('download' | 'complete', '*')",
    gate: 'none',
    cta: 'vungle',
    end: 'vungle',
    needsStoreUrl: false,
  },
  tiktok: {
    name: 'tiktok',
    title: 'TikTok / Pangle',
    maxBytes: 5 * MB,
    html: 'index.html',
    zip: 'tiktok.zip',
    api: 'window.openAppStore(), config.json',
    gate: 'none',
    cta: 'tiktok',
    needsStoreUrl: false,
  },
};

function mraid(name: NetworkName, title: string, cta: CtaCall): Network {
  return {
    name,
    title,
    maxBytes: 5 * MB,
    html: 'index.html',
    api:
      cta === 'mraid-store'
        ? 'MRAID (mraid.js): ready, viewableChange, openStoreUrl() or open(url)'
        : 'MRAID (mraid.js): ready, viewableChange, open(url)',
    headScript: 'mraid.js',
    gate: 'mraid',
    cta,
    needsStoreUrl: cta === 'mraid-open',
  };
}

export const NETWORK_NAMES = Object.keys(NETWORKS) as NetworkName[];
