/**
 * The networks the check has a stand-in for (the same names as playable() in playcanvas-postprocess). A module
 * of its own: the options read it, and must not load playwright-core with the stand-ins (0.3 s of every CLI run).
 */
export const STAND_IN_NETWORKS = [
  'meta',
  'google',
  'applovin',
  'unity',
  'ironsource',
  'mintegral',
  'vungle',
  'tiktok',
  'snapchat',
] as const;
export type StandInNetwork = (typeof STAND_IN_NETWORKS)[number];
