import { cleanApiText } from '../common/index.js';

export type JobStatus = 'running' | 'complete' | 'error';

/** A job as the client gives it: camelCase, checked, its text cleaned. The API's snake_case stays in the transport. */
export interface Job {
  id: number;
  /** 'running', 'complete' or 'error'; another word the API may add is passed on as it came (cleaned). */
  status: JobStatus | (string & {});
  messages: string[];
  createdAt?: string;
  modifiedAt?: string;
  /**
   * What the job carries, keys in camelCase: `downloadUrl` (builds), `url` (exports), `engineVersion`, `branchId`...
   */
  data: Record<string, unknown>;
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The API's job, checked and turned camelCase; undefined when it is not a job at all. */
export function jobFromApi(raw: unknown): Job | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id <= 0 || typeof r.status !== 'string')
    return undefined;
  const data: Record<string, unknown> = {};
  if (typeof r.data === 'object' && r.data !== null && !Array.isArray(r.data)) {
    for (const [key, value] of Object.entries(r.data)) data[camel(key)] = value;
  }
  const job: Job = {
    id: r.id,
    status: cleanApiText(r.status, 40),
    messages: Array.isArray(r.messages) ? r.messages.slice(0, 50).map((m) => cleanApiText(m)) : [],
    data,
  };
  if (typeof r.created_at === 'string') job.createdAt = cleanApiText(r.created_at, 40);
  if (typeof r.modified_at === 'string') job.modifiedAt = cleanApiText(r.modified_at, 40);
  return job;
}

/** Where the finished job's archive is: data.downloadUrl for a build, data.url for an export. */
export function archiveUrlOf(job: Job): string | undefined {
  const url = job.data.downloadUrl ?? job.data.url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** A job's state in words, for logs: "job 500001 failed", not "job 500001 is error". */
export function describeJobStatus(jobId: number, status: string): string {
  switch (status) {
    case 'running':
      return `job ${jobId} is running`;
    case 'complete':
      return `job ${jobId} completed`;
    case 'error':
      return `job ${jobId} failed`;
    default:
      return `job ${jobId} is in state ${JSON.stringify(cleanApiText(status, 40))}`;
  }
}
