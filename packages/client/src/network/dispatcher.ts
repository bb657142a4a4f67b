import type { Dispatcher } from 'undici';
import { closeBudgetStores } from '../budget/index.js';
import type { ProxySettings } from './proxy.js';
import type { RoutingDispatcher } from './routing-dispatcher.js';

/** Set by tests only (through playcanvas-rest-client/testing): a CA to trust instead of the machine's. */
let testAuthority: string | undefined;

export function setTestAuthority(ca: string | undefined): void {
  testAuthority = ca;
}

/**
 * The dispatchers routedFetch made, held weakly: closeConnections ends their sockets, a dropped client lets them go.
 */
const made = new Set<WeakRef<RoutingDispatcher>>();

/**
 * Ends every connection of the dispatchers the clients made (including a CONNECT a proxy never answers, which
 * undici would otherwise keep for its 300 s headers timeout), and the shared rate budget's Redis. For a program
 * that is done (the CLI): the clients made so far cannot send anything afterwards.
 */
export async function closeConnections(): Promise<void> {
  closeBudgetStores();
  const open = [...made].map((ref) => ref.deref());
  made.clear();
  await Promise.all(open.map((dispatcher) => dispatcher?.destroyAll()));
}

/**
 * The fetch the client uses when it is not given one: Node's own, with a dispatcher that routes each origin
 * through its proxy when any proxy is set; otherwise Node's fetch as it is (and whatever global dispatcher
 * the process set up).
 */
export function routedFetch(settings: ProxySettings): typeof fetch {
  const ca = testAuthority;
  if (settings.http === undefined && settings.https === undefined && ca === undefined)
    return (input, init) => globalThis.fetch(input, init);
  // undici's agents load with the first request that needs them: a client without a proxy starts without them
  let dispatcher: Promise<Dispatcher> | undefined;
  return async (input, init) => {
    dispatcher ??= import('./routing-dispatcher.js').then(({ RoutingDispatcher }) => {
      const routing = new RoutingDispatcher(settings, ca);
      made.add(new WeakRef(routing));
      return routing;
    });
    // Node 20's fetch accepts any undici dispatcher; its RequestInit type only knows the undici it bundles.
    return globalThis.fetch(input, { ...init, dispatcher: await dispatcher } as RequestInit);
  };
}
