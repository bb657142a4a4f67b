/**
 * How requests reach a server: proxies (the environment's or the option's), the routing dispatcher, and what
 * a network failure means and how to say it.
 */
export { closeConnections, routedFetch, setTestAuthority } from './dispatcher.js';
export {
  describeNetworkFailure,
  describeProxyFailure,
  isTlsCode,
  nameProxy,
  networkCode,
  PROXY_AUTH_REQUIRED,
  PROXY_TUNNEL_FAILED,
  PROXY_TUNNEL_REFUSED,
  safeCause,
} from './network.js';
export { type ProxySettings, resolveProxySettings } from './proxy.js';
