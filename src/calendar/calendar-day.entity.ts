import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** A day of the working-calendar register that differs from its weekday (working-calendar.ts). */
@Entity('calendar_days')
@Check('CHK_calendar_days_kind', `"kind" IN ('HOLIDAY', 'WORKDAY')`)
export class CalendarDay {
  /** Local date in TIMEZONE, `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_calendar_days_day' })
  day: string;

  @Column({ type: 'varchar', length: 10 })
  kind: 'HOLIDAY' | 'WORKDAY';

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The law or announcement the day comes from. */
  @Column({ type: 'varchar', length: 500 })
  source: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /** The account that set it; null for the shipped seed. */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;
}
