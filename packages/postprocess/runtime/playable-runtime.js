// The playable's side of an ad network's contract, first in <head>: one call-to-action for the game whatever the
// network (window.playableCTA(), or app.fire('playable:cta')), one "game over" (window.playableEnd(), or
// app.fire('playable:end')), the app held until the container says the ad is shown, and its sound muted until
// the first touch. The single-file runtime hands it the engine (window.__pcPlayableEngine(pc)) before the app
// starts; it wraps AppBase#start, so every layout (classic, ES modules) is held the same way.
// biome-ignore lint/correctness/noUnusedVariables: called by the page
const installPlayable = (config) => {
  const state = { shown: false, started: false, cta: 0, end: 0 };
  window.__playable = state;
  let show;
  const shown = new Promise((resolve) => {
    show = () => {
      state.shown = true;
      resolve();
    };
  });

  const mraid = () => window.mraid;
  if (config.gate === 'mraid') {
    // IAB MRAID: nothing is called before 'ready'; the ad starts once viewable (2.0 and 3.0 both fire viewableChange)
    const whenViewable = () => {
      if (mraid().isViewable()) return show();
      const onViewable = (viewable) => {
        if (!viewable) return;
        mraid().removeEventListener('viewableChange', onViewable);
        show();
      };
      mraid().addEventListener('viewableChange', onViewable);
    };
    if (!mraid())
      show(); // opened outside a container (a preview): nothing will say so
    else if (mraid().getState() === 'loading') mraid().addEventListener('ready', whenViewable);
    else whenViewable();
  } else if (config.gate === 'mintegral') {
    // Mintegral: the ad says it is loaded with gameReady(); the container calls gameStart() when it shows it
    window.gameStart = show;
    window.gameClose = () => undefined;
  } else {
    show();
  }

  const storeUrl = () => {
    const url = config.storeUrl;
    if (typeof url === 'string' || url === undefined) return url;
    return /iPhone|iPad|iPod|Macintosh/.test(navigator.userAgent) ? url.ios : url.android;
  };
  const calls = {
    fb: () => window.FbPlayableAd.onCTAClick(),
    exitapi: () => window.ExitApi.exit(),
    'mraid-open': () => mraid().open(storeUrl()),
    'mraid-store': () =>
      typeof mraid().openStoreUrl === 'function' ? mraid().openStoreUrl() : mraid().open(storeUrl()),
    mintegral: () => window.install(),
    vungle: () => window.parent.postMessage('download', '*'),
    tiktok: () => window.openAppStore(),
  };
  const ends = {
    mintegral: () => window.gameEnd(),
    vungle: () => window.parent.postMessage('complete', '*'),
  };
  window.playableCTA = () => {
    state.cta += 1;
    calls[config.cta]();
  };
  window.playableEnd = () => {
    state.end += 1;
    if (config.end) ends[config.end]();
  };

  // sound: the app's volume is 0 until the first touch, click or key
  let touched = false;
  const muted = [];
  const firstTouch = () => {
    touched = true;
    for (const [manager, volume] of muted.splice(0)) manager.volume = volume;
    for (const type of ['pointerdown', 'touchstart', 'keydown']) window.removeEventListener(type, firstTouch, true);
  };
  for (const type of ['pointerdown', 'touchstart', 'keydown']) window.addEventListener(type, firstTouch, true);

  window.__pcPlayableEngine = (pc) => {
    const App = pc.AppBase ?? pc.Application;
    if (!App?.prototype.start || App.prototype.start.__playable) return;
    const start = App.prototype.start;
    const held = function () {
      this.on('playable:cta', () => window.playableCTA());
      this.on('playable:end', () => window.playableEnd());
      if (!touched && this.soundManager) {
        muted.push([this.soundManager, this.soundManager.volume]);
        this.soundManager.volume = 0;
      }
      if (config.gate === 'mintegral' && typeof window.gameReady === 'function') window.gameReady();
      shown.then(() => {
        state.started = true;
        start.call(this);
      });
    };
    held.__playable = true;
    App.prototype.start = held;
  };
};
