import type { RateClass } from '../budget/index.js';
import { ApiError } from '../common/index.js';
import type { Vocabulary } from '../options/index.js';

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path under the origin, with any query string: /api/jobs/123 */
  path: string;
  /** The route as documented, kept on errors: /api/jobs/:id */
  route: string;
  body?: unknown;
  rateClass: RateClass;
  /** Says what a 403/404 means for this call, e.g. "project 1000". */
  subject?: string;
}

/** What to do about an API error, by status. */
export function hintFor(
  status: number,
  request: ApiRequest,
  apiMessage: string | undefined,
  words: Vocabulary,
): string {
  if (status === 401) return `check the API token (${words.token}): it is missing, mistyped or revoked`;
  if (status === 403)
    return (
      `the token has no access to ${request.subject ?? 'this resource'}: ` +
      'use a token of the organization that owns it'
    );
  if (status === 404) return `check ${request.subject ?? 'the ids you gave'}${apiMessage ? '' : ', and the base URL'}`;
  if (status === 400 || status === 422) return 'the API refused the request as sent: fix the option it names';
  if (status >= 500) return 'the PlayCanvas service failed; try again later';
  return 'see the API message';
}

/** An answer that is JSON but not what the API documents. */
export function unexpectedAnswer(request: ApiRequest, what: string): ApiError {
  const path = request.path.split('?')[0];
  const advice = 'the API may have changed; report it';
  return new ApiError(
    `PlayCanvas API: ${request.method} ${path} answered something that is not ${what}: ${advice}`,
    200,
    undefined,
    request.method,
    request.route,
  );
}
