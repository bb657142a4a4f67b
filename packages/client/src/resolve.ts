import { ConfigError } from './errors.js';

export interface Branch {
  id: string;
  name: string;
  projectId?: number;
  closed?: boolean;
  createdAt?: string;
  latestCheckpointId?: string | null;
}

export interface Scene {
  id: number;
  name: string;
  projectId?: number;
}

/** Finds a branch by name (exact, then case-insensitive); the error lists the branches that exist. */
export function pickBranch(branches: Branch[], name: string, projectId: number): Branch {
  const found = branches.find((b) => b.name === name) ?? branches.filter((b) => b.name.toLowerCase() === name.toLowerCase()).at(0);
  if (found) return found;
  const list = branches.length ? branches.map((b) => `${b.name} (${b.id})`).join(', ') : 'none';
  throw new ConfigError(`Branch ${JSON.stringify(name)} not found in project ${projectId}; open branches: ${list}`, 'branch');
}

/** Turns scene names into ids, keeping ids as given; the error lists the scenes that exist. */
export function resolveScenes(wanted: Array<number | string>, scenes: Scene[], projectId: number): number[] {
  return wanted.map((item) => {
    if (typeof item === 'number') return item;
    const matches = scenes.filter((s) => s.name === item);
    const loose = matches.length ? matches : scenes.filter((s) => s.name.toLowerCase() === item.toLowerCase());
    const list = scenes.map((s) => `${s.name} (${s.id})`).join(', ') || 'none';
    if (loose.length === 0) throw new ConfigError(`Scene ${JSON.stringify(item)} not found in project ${projectId}; scenes: ${list}`, 'scenes');
    if (loose.length > 1) {
      throw new ConfigError(
        `Scene name ${JSON.stringify(item)} is ambiguous in project ${projectId} (${loose.map((s) => s.id).join(', ')}): give the id instead`,
        'scenes',
      );
    }
    return (loose[0] as Scene).id;
  });
}
