/**
 * The portal's front page: organisation → clubs → teams with athlete and session counts and the
 * clubs' hubs, holding only what the caller may see. An analyst sees everything (or their
 * organisation), a coach their club and team, an athlete their club's name and their own team.
 */
import type { DirectoryRepository } from '../repositories/directory.repository.ts';
import type { OverviewRepository } from '../repositories/overview.repository.ts';
import type { Principal } from './auth.service.ts';
import { within, type ReachService } from './reach.service.ts';

const WEEK_MS = 7 * 86_400_000;

export class OverviewService {
  private readonly repo: OverviewRepository;
  private readonly directory: DirectoryRepository;
  private readonly reach: ReachService;
  private readonly now: () => number;

  constructor(deps: { repo: OverviewRepository; directory: DirectoryRepository; reach: ReachService; now?: () => number }) {
    this.repo = deps.repo;
    this.directory = deps.directory;
    this.reach = deps.reach;
    this.now = deps.now ?? Date.now;
  }

  async overview(principal: Principal) {
    const reach = await this.reach.of(principal);
    const [organisations, clubs, teams, athleteCounts] = await Promise.all([
      this.directory.listOrganisations(reach),
      this.directory.listClubs(undefined, reach),
      this.directory.listTeams(undefined, reach),
      this.repo.athleteCounts(reach),
    ]);
    const clubIds = clubs.map((c) => c.id);
    const [sessions, hubs] = await Promise.all([
      this.repo.sessionCounts(clubIds, new Date(this.now() - WEEK_MS)),
      this.repo.hubsOf(clubIds.filter((id) => within(reach, 'hubClubIds', id))),
    ]);
    const sum = (rows: { athletes: number }[]) => rows.reduce((n, r) => n + Number(r.athletes), 0);
    return {
      organisations: organisations.map((o) => ({
        id: o.id,
        name: o.name,
        clubs: clubs
          .filter((c) => c.organisation_id === o.id)
          .map((c) => ({
            id: c.id,
            name: c.name,
            athletes: sum(athleteCounts.filter((a) => a.club_id === c.id)),
            sessionsLast7Days: Number(sessions.find((s) => s.club_id === c.id)?.sessions ?? 0),
            teams: teams
              .filter((t) => t.club_id === c.id)
              .map((t) => ({ id: t.id, name: t.name, athletes: sum(athleteCounts.filter((a) => a.team_id === t.id)) })),
            hubs: hubs
              .filter((h) => h.club_id === c.id)
              .map((h) => ({
                id: h.id,
                name: h.name,
                enrolledAt: h.enrolled_at?.getTime() ?? null,
                lastSeenAt: h.last_seen_at?.getTime() ?? null,
                revokedAt: h.revoked_at?.getTime() ?? null,
              })),
          })),
      })),
    };
  }
}
