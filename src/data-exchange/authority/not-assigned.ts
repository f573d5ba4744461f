/** The batch problem of a reporter's write to a record its assigner has not created. */
export function notAssignedProblem(dataSet: string, keyFields: readonly string[], key: string) {
  return { field: keyFields.join('/'), problem: `${key} has not been assigned: only the ASSIGNER creates ${dataSet} records` };
}
