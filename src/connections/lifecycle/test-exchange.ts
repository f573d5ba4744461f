import type { EntityManager } from 'typeorm';

/**
 * What a connection exchanged in the test environment, as the reconciliation report counts it:
 * records it pushed (still last written by it), and successful reads of a data set.
 */
export async function testExchange(manager: EntityManager, connectionId: string): Promise<{ recordsPushed: number; successfulReads: number }> {
  const [row] = await manager.query(
    `SELECT (SELECT count(*) FROM task_results WHERE environment = 'test' AND updated_by_connection = $1)::int
          + (SELECT count(*) FROM kpi_results WHERE environment = 'test' AND updated_by_connection = $1)::int AS "recordsPushed",
            (SELECT count(*) FROM (SELECT 1 FROM audit_entries
                                    WHERE connection_id = $1 AND plane = 'data' AND environment = 'test' AND method = 'GET'
                                      AND status_code = 200 AND path ~ '^/api/v1/(task|kpi)-results' LIMIT 1) AS hit)::int AS "successfulReads"`,
    [connectionId],
  );
  return row;
}
