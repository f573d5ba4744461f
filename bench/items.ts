/**
 * Task results as a connected system pushes them: the item shape of `taskResult()` in
 * test/support/gateway-harness.ts, varied a little so that pages are not all identical.
 */
export function benchTaskResult(batch: number, index: number, leadUnit: string): Record<string, unknown> {
  const n = batch * 1000 + index;
  const completed = n % 5 === 0;
  const due = new Date(Date.UTC(2026, 0, 1) + (n % 900) * 86_400_000).toISOString().slice(0, 10);
  return {
    taskCode: `BENCH_${String(batch).padStart(4, '0')}_${String(index).padStart(4, '0')}`,
    taskName: `Nhiệm vụ BENCH ${n}`,
    taskGroupCode: `57_N0${(n % 5) + 1}`,
    taskGroupName: 'Về xây dựng hoàn thiện thể chế',
    leadUnit,
    coordinatingUnits: ['Bộ Tư pháp'],
    assigningDocument: 'Thông báo số 03-TB/BCĐTW ngày 06/3/2025',
    expectedOutput: 'Nghị định',
    assignedAt: '2025-03-06',
    dueDate: due,
    priority: (n % 5) + 1,
    result: completed ? 'COMPLETED' : n % 2 === 0 ? 'IN_PROGRESS' : 'NOT_STARTED',
    ...(completed ? { completedAt: '2025-12-01' } : {}),
    description: 'Đang dự thảo',
  };
}
