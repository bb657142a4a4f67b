import type { RateClass } from '../rate-limits.js';

/**
 * Every route the mock serves, by name: fault rules and the journal use these names, and the handlers are
 * registered from this table, so a name cannot drift from its route.
 */
export const ROUTE_TABLE = {
  'apps.download': { method: 'POST', path: '/api/apps/download', rateClass: 'strict' },
  'jobs.get': { method: 'GET', path: '/api/jobs/:id', rateClass: 'normal' },
  'projects.export': { method: 'POST', path: '/api/projects/:id/export', rateClass: 'strict' },
  'branches.list': { method: 'GET', path: '/api/projects/:id/branches', rateClass: 'normal' },
  'branches.create': { method: 'POST', path: '/api/branches', rateClass: 'normal' },
  'checkpoints.create': { method: 'POST', path: '/api/checkpoints', rateClass: 'normal' },
  'checkpoints.get': { method: 'GET', path: '/api/checkpoints/:id', rateClass: 'normal' },
  'checkpoints.list': { method: 'GET', path: '/api/branches/:id/checkpoints', rateClass: 'normal' },
  'scenes.list': { method: 'GET', path: '/api/projects/:id/scenes', rateClass: 'normal' },
  'apps.primary': { method: 'GET', path: '/api/projects/:id/app', rateClass: 'normal' },
  'apps.list': { method: 'GET', path: '/api/projects/:id/apps', rateClass: 'normal' },
  ratelimits: { method: 'GET', path: '/api/ratelimits', rateClass: 'normal' },
  download: { method: 'GET', path: '/downloads/:kind/:jobId/:file', rateClass: undefined },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; rateClass: RateClass | undefined }>;

export type RouteName = keyof typeof ROUTE_TABLE;
export type ApiRouteName = Exclude<RouteName, 'download'>;

export const ROUTE_NAMES = Object.keys(ROUTE_TABLE) as RouteName[];
