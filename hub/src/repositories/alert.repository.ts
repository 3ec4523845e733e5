/** Alert rules and the log of raised alerts. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AlertRulesTable, AlertsTable, HubDatabase } from '../store/tables.ts';

/** Settings key that records that the default rules were created, so deleting them all sticks. */
const DEFAULT_RULES_KEY = 'alerts.default-rules-created';

export interface AlertFilter {
  activeOnly: boolean;
  sessionId?: string;
  limit: number;
}

export class AlertRepository {
  private readonly db: Kysely<HubDatabase>;

  constructor(db: Kysely<HubDatabase>) {
    this.db = db;
  }

  listRules() {
    return this.db.selectFrom('alert_rules').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /** Inserts the given rules only on the hub's first start; returns whether it did. */
  async createDefaultRulesOnce(rules: Insertable<AlertRulesTable>[], at: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .insertInto('settings')
        .values({ key: DEFAULT_RULES_KEY, value: JSON.stringify(at) })
        .onConflict((c) => c.column('key').doNothing())
        .executeTakeFirst();
      if (Number(marked.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      if (rules.length > 0) await trx.insertInto('alert_rules').values(rules).execute();
      return true;
    });
  }

  async insertRule(row: Insertable<AlertRulesTable>): Promise<void> {
    await this.db.insertInto('alert_rules').values(row).execute();
  }

  async updateRule(id: string, changes: Updateable<AlertRulesTable>): Promise<number> {
    const result = await this.db.updateTable('alert_rules').set(changes).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteRule(id: string): Promise<number> {
    const result = await this.db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertAlert(row: Insertable<AlertsTable>): Promise<void> {
    await this.db.insertInto('alerts').values(row).execute();
  }

  findAlert(id: string) {
    return this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAlerts(filter: AlertFilter) {
    let q = this.db.selectFrom('alerts').selectAll().orderBy('raised_at', 'desc').orderBy('id').limit(filter.limit);
    if (filter.activeOnly) q = q.where('acknowledged_at', 'is', null);
    if (filter.sessionId !== undefined) q = q.where('session_id', '=', filter.sessionId);
    return q.execute();
  }

  /** Acknowledges an alert unless someone already did; returns whether this call did. */
  async acknowledge(id: string, at: number, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable('alerts')
      .set({ acknowledged_at: at, acknowledged_by: by })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
