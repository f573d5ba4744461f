import { DatePicker } from 'antd';
import dayjs from 'dayjs';

/**
 * A calendar day as the API takes it (`2026-12-08`), picked and shown day first (08/12/2026)
 * whatever the browser's locale. A native date input follows the browser's: in an English one it
 * shows 12/08/2026, which a Vietnamese reader takes for the 12th of August. `id` is Form.Item's,
 * so the field's label names the input.
 */
export function DayField({ id, value, onChange, disabled }: { id?: string; value?: string; onChange?: (day: string | undefined) => void; disabled?: boolean }) {
  return (
    <DatePicker
      id={id}
      format="DD/MM/YYYY"
      placeholder="dd/mm/yyyy"
      style={{ width: '100%' }}
      value={value ? dayjs(value) : null}
      disabled={disabled}
      onChange={(day) => onChange?.(day ? day.format('YYYY-MM-DD') : undefined)}
    />
  );
}
