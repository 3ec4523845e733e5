/** Workouts athletes upload (watch and bike-computer files), stored as their summary. */
import type { Insertable, Kysely } from 'kysely';
import type { CentralDatabase, WorkoutsTable } from '../db/tables.ts';
import { AggregateRepository } from './aggregate.repository.ts';

const COLUMNS = ['id', 'filename', 'format', 'sport', 'started_at', 'duration_s', 'distance_m', 'hr_mean', 'hr_max', 'trimp', 'uploaded_at'] as const;

export class WorkoutRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  list(athleteId: string) {
    return this.db.selectFrom('workouts').select(COLUMNS).where('athlete_id', '=', athleteId).orderBy('started_at', 'desc').execute();
  }

  athleteProfile(athleteId: string) {
    return this.db.selectFrom('athletes').select(['hr_max', 'hr_rest', 'sex', 'mass_kg', 'birth_year']).where('id', '=', athleteId).executeTakeFirst();
  }

  /** Stores the workout and, in the same transaction, queues its day's load for recomputation. */
  insert(row: Insertable<WorkoutsTable>, day: string) {
    return this.db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('workouts').values(row).returning(COLUMNS).executeTakeFirstOrThrow();
      await new AggregateRepository(trx).enqueueDays([{ athleteId: row.athlete_id, day }]);
      return created;
    });
  }
}
