// Stand-ins for the ad networks' containers, written from their public interfaces (not from any playable's own
// code): each records what the ad calls and plays the container's part. The check runs this before the page
// (an init script) with the network's name; `mraid.js` and Google's `exitapi.js` are answered with a line that
// installs the object only when the page loads them, as a real container does. The record is
// window.__pcStandIn: { network, calls: [{ call, args }], violations: [], shown, show() }.
// biome-ignore lint/correctness/noUnusedVariables: called by the check's init script
function installStandIn(network) {
  const standIn = { network, calls: [], violations: [], shown: false, show: () => undefined };
  window.__pcStandIn = standIn;
  const record = (call, args) => standIn.calls.push({ call, args: Array.from(args) });
  const installers = {};

  // IAB MRAID 2.0 and 3.0 (ironSource adds openStoreUrl): 'loading' until the container is ready, viewable after
  installers.mraid = () => {
    let state = 'loading';
    let viewable = false;
    const listeners = new Map();
    const fire = (event, ...args) => {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(...args);
    };
    const call =
      (name, result) =>
      (...args) => {
        if (state === 'loading') standIn.violations.push(`mraid.${name}() was called before MRAID's 'ready'`);
        record(`mraid.${name}`, args);
        return result;
      };
    const size = () => ({ width: window.innerWidth, height: window.innerHeight });
    window.mraid = {
      getVersion: () => (network === 'unity' ? '3.0' : '2.0'),
      getState: () => state,
      isViewable: () => viewable,
      addEventListener(event, listener) {
        if (!listeners.has(event)) listeners.set(event, []);
        listeners.get(event).push(listener);
      },
      removeEventListener(event, listener) {
        const list = listeners.get(event) ?? [];
        if (listener === undefined) list.length = 0;
        else if (list.includes(listener)) list.splice(list.indexOf(listener), 1);
      },
      open: call('open'),
      close: call('close'),
      expand: call('expand'),
      resize: call('resize'),
      useCustomClose: call('useCustomClose'),
      playVideo: call('playVideo'),
      storePicture: call('storePicture'),
      createCalendarEvent: call('createCalendarEvent'),
      setOrientationProperties: call('setOrientationProperties'),
      getOrientationProperties: () => ({ allowOrientationChange: true, forceOrientation: 'none' }),
      setExpandProperties: call('setExpandProperties'),
      getExpandProperties: () => ({ ...size(), useCustomClose: false, isModal: true }),
      setResizeProperties: call('setResizeProperties'),
      getResizeProperties: () => ({}),
      getMaxSize: size,
      getScreenSize: () => ({ width: screen.width, height: screen.height }),
      getCurrentPosition: () => ({ x: 0, y: 0, ...size() }),
      getDefaultPosition: () => ({ x: 0, y: 0, ...size() }),
      getPlacementType: () => 'interstitial',
      supports: () => false,
      ...(network === 'ironsource' ? { openStoreUrl: call('openStoreUrl') } : {}),
    };
    standIn.show = () => {
      standIn.shown = true;
      state = 'default';
      fire('stateChange', 'default');
      fire('ready');
      // the ad is viewable a moment later, as when the container's view comes on screen
      setTimeout(() => {
        viewable = true;
        fire('viewableChange', true);
        if (network === 'unity') fire('exposureChange', 100, null, null);
      }, 50);
    };
  };

  // Google Ads HTML5: exitapi.js defines ExitApi; exit() leaves to the ad's final URL
  installers.exitapi = () => {
    window.ExitApi = { exit: (...args) => record('ExitApi.exit', args) };
  };

  if (network === 'meta') window.FbPlayableAd = { onCTAClick: (...args) => record('FbPlayableAd.onCTAClick', args) };
  if (network === 'tiktok') window.openAppStore = (...args) => record('openAppStore', args);
  if (network === 'mintegral') {
    // the ad says it is loaded (gameReady); the container shows it and calls the ad's gameStart()
    let ready = false;
    window.gameReady = (...args) => {
      ready = true;
      record('gameReady', args);
    };
    window.install = (...args) => record('install', args);
    window.gameEnd = (...args) => record('gameEnd', args);
    standIn.show = () => {
      standIn.shown = true;
      if (!ready) standIn.violations.push('the ad was shown before it called gameReady()');
      const noStart = 'the ad defines no gameStart() for the container to call';
      if (typeof window.gameStart !== 'function') standIn.violations.push(noStart);
      else window.gameStart();
    };
  }
  if (network === 'vungle') {
    // the ad's frame posts 'download' and 'complete' to its parent (here the page is its own parent)
    window.addEventListener('message', (event) => {
      if (event.data === 'download' || event.data === 'complete') record(`postMessage:${event.data}`, [event.data]);
    });
  }
  standIn.install = (api) => installers[api]();
  if (['applovin', 'unity', 'ironsource', 'snapchat'].includes(network))
    standIn.show = () => standIn.violations.push('the page never loaded mraid.js, which the container serves');
  else if (network !== 'mintegral')
    standIn.show = () => {
      standIn.shown = true;
    };
  if (network === 'google')
    standIn.show = () => {
      standIn.shown = true;
      if (!window.ExitApi) standIn.violations.push("the page never loaded Google's exitapi.js");
    };
}
