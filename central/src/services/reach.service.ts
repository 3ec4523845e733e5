/**
 * The lists side of DataScope: what a signed-in user may see, resolved once per request, for
 * queries that return many rows. Single-athlete reads still go through DataScope.requireAthlete,
 * which also audits them.
 */
import type { ReachRepository, Reach } from '../repositories/reach.repository.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';

export type { Reach };

export class ReachService {
  private readonly scope: DataScope;
  private readonly repo: ReachRepository;

  constructor(scope: DataScope, repo: ReachRepository) {
    this.scope = scope;
    this.repo = repo;
  }

  async of(principal: Principal): Promise<Reach> {
    return this.repo.resolve(await this.scope.grants(principal));
  }
}

/** Whether an id is inside one of the reach's lists (everything when the reach is unlimited). */
export function within(reach: Reach, list: keyof Omit<Reach, 'all'>, id: string | null): boolean {
  return reach.all || (id !== null && reach[list].includes(id));
}
