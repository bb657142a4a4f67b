/** A job as the API returns it (GET /api/jobs/:id). */
export interface Job {
  id: number;
  status: 'running' | 'complete' | 'error' | string;
  messages: string[];
  created_at?: string;
  modified_at?: string;
  data: Record<string, unknown> & { download_url?: string; url?: string };
}

export function isJob(value: unknown): value is Job {
  const v = value as Partial<Job> | undefined;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.id) && typeof v.status === 'string';
}

/** Where the finished job's archive is: data.download_url for a build, data.url for an export. */
export function archiveUrlOf(job: Job): string | undefined {
  const url = job.data?.download_url ?? job.data?.url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}
