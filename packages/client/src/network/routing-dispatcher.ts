import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { type ProxyRoute, type ProxySettings, proxyUrlOf } from './proxy.js';

/**
 * Sends each request through the proxy its origin is routed to, or direct; a redirect to another origin is routed
 * again.
 */
export class RoutingDispatcher extends Dispatcher {
  readonly #settings: ProxySettings;
  readonly #direct: Agent;
  // Private fields: an undici agent keeps its proxy URL, credentials included, where inspect() would show it.
  readonly #viaProxy = new Map<ProxyRoute, ProxyAgent>();

  constructor(settings: ProxySettings, ca: string | undefined) {
    super();
    const tls = ca === undefined ? {} : { ca };
    this.#settings = settings;
    this.#direct = new Agent({ connect: tls });
    for (const route of [settings.http, settings.https]) {
      if (route === undefined || this.#viaProxy.has(route)) continue;
      // Plain http is tunnelled too (curl forwards it): then a proxy that cannot reach the host says so in the
      // CONNECT answer, which the messages name, rather than in an HTTP answer that would pass for the server's.
      this.#viaProxy.set(route, new ProxyAgent({ uri: proxyUrlOf(route), requestTls: tls, proxyTls: tls }));
    }
  }

  /**
   * Ends every socket now, a pending CONNECT too; what is in flight fails. (Dispatcher's own destroy() is left as it
   * is.)
   */
  async destroyAll(): Promise<void> {
    await Promise.all(
      [this.#direct, ...this.#viaProxy.values()].map((agent) => agent.destroy().catch(() => undefined)),
    );
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const route = this.#settings.routeFor(new URL(String(options.origin)));
    return (route === undefined ? this.#direct : (this.#viaProxy.get(route) ?? this.#direct)).dispatch(
      options,
      handler,
    );
  }
}
