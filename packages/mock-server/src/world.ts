import type { MockClock } from './clock.js';
import { type FixtureBranch, type FixtureProject, type Fixtures, mainBranch } from './fixtures.js';

export interface CheckpointRecord {
  id: string;
  projectId: number;
  branchId: string;
  description: string;
  createdAt: number;
  userId: number;
  /** Creation order: lists go newest first, `skip` cuts by it. */
  seq: number;
}

/**
 * What the API can change: branches and checkpoints created through it, on top of the fixtures. A reset
 * puts the fixtures back. Ids of created things follow their creation order, so runs repeat.
 */
export class World {
  projects: FixtureProject[] = [];
  private checkpoints = new Map<string, CheckpointRecord>();
  private created = 0;

  constructor(
    private readonly fixtures: Fixtures,
    private readonly clock: MockClock,
  ) {
    this.reset();
  }

  reset(): void {
    this.projects = structuredClone(this.fixtures.projects);
    this.checkpoints.clear();
    this.created = 0;
    let seq = 0;
    for (const project of this.projects) {
      for (const branch of project.branches) {
        if (!branch.latestCheckpointId) continue;
        this.checkpoints.set(branch.latestCheckpointId, {
          id: branch.latestCheckpointId,
          projectId: project.id,
          branchId: branch.id,
          description: `Latest checkpoint of ${branch.name}`,
          createdAt: this.clock.startedAt,
          userId: project.ownerId,
          seq: seq++,
        });
      }
    }
  }

  project(id: number): FixtureProject | undefined {
    return this.projects.find((p) => p.id === id);
  }

  /** The branch with this id in any project, with its project. */
  branch(id: string): { project: FixtureProject; branch: FixtureBranch } | undefined {
    for (const project of this.projects) {
      const branch = project.branches.find((b) => b.id === id);
      if (branch) return { project, branch };
    }
    return undefined;
  }

  branchOf(project: FixtureProject, id: string | undefined): FixtureBranch | undefined {
    return id === undefined ? mainBranch(project) : project.branches.find((b) => b.id === id);
  }

  private nextId(prefix: string): string {
    this.created += 1;
    return `${prefix}-0000-4000-8000-${this.created.toString(16).padStart(12, '0')}`;
  }

  addCheckpoint(project: FixtureProject, branch: FixtureBranch, description: string, userId: number): CheckpointRecord {
    const checkpoint: CheckpointRecord = {
      id: this.nextId('c0ffee00'),
      projectId: project.id,
      branchId: branch.id,
      description,
      createdAt: this.clock.now(),
      userId,
      seq: this.checkpoints.size,
    };
    this.checkpoints.set(checkpoint.id, checkpoint);
    branch.latestCheckpointId = checkpoint.id;
    return checkpoint;
  }

  checkpoint(id: string): CheckpointRecord | undefined {
    return this.checkpoints.get(id);
  }

  /** A branch's checkpoints, newest first. */
  checkpointsOf(branchId: string): CheckpointRecord[] {
    return [...this.checkpoints.values()].filter((c) => c.branchId === branchId).sort((a, b) => b.seq - a.seq);
  }

  addBranch(project: FixtureProject, name: string, checkpointId: string): FixtureBranch {
    const branch: FixtureBranch = {
      id: this.nextId('b7a9c000'),
      name,
      latestCheckpointId: checkpointId,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    project.branches.push(branch);
    return branch;
  }
}
