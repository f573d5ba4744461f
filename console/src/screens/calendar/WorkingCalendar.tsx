import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DayField } from '../../shared/DayField';
import { FailureAlert } from '../../shared/failure';
import { useFormSubmit } from '../../shared/form-submit';
import { formatDate, formatDateTime, todayInVietnam } from '../../shared/dates';
import { useConfirm } from '../../shared/confirm';

type CalendarYear = components['schemas']['CalendarYearView'];
type CalendarDay = components['schemas']['CalendarDayView'];
type DayValues = components['schemas']['SetCalendarDayDto'] & { day: string };

/**
 * The holidays a year's announcement fixes by the lunar calendar: no rule computes them, so until
 * the DTD enters them every working-day clock around them (7 working days of an incident review,
 * 8 working hours of a dispute, the review queue's deadlines) counts those days as working days.
 */
const LUNAR_HOLIDAYS = [
  { key: 'tet', words: 'Tết Nguyên đán' },
  { key: 'hungKings', words: 'Giỗ Tổ Hùng Vương' },
] as const;

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/**
 * The working-calendar register (Lịch làm việc) for the DTD: each year's holidays, swapped days
 * off and make-up working days, entered from the law and the Ministry of Home Affairs'
 * announcement; a year without its lunar holidays is flagged. Every change is in the audit log.
 */
export default function WorkingCalendar() {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [year, setYear] = useState(() => Number(todayInVietnam().slice(0, 4)));
  const [calendar, setCalendar] = useState<CalendarYear | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Partial<DayValues> | null>(null);

  const load = useCallback(async () => {
    try {
      setCalendar(await call<CalendarYear>(api.GET('/control/v1/calendar', { params: { query: { year } } })));
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [year]);
  useEffect(() => void load(), [load]);

  const remove = async (d: CalendarDay) => {
    if (!(await confirm(t('calendar.removeTitle'), t('calendar.removeConfirm', { day: formatDate(d.day), name: d.name })))) return;
    try {
      await call(api.DELETE('/control/v1/calendar/days/{day}', { params: { path: { day: d.day } } }));
      void message.success(t('calendar.removed'));
      await load();
    } catch (failure) {
      setError(failure);
    }
  };

  const weekday = (day: string) => (language === 'vi' ? WEEKDAYS_VI[new Date(`${day}T00:00:00Z`).getUTCDay()] : new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' }));
  // Any case and composition: "Tết nguyên đán" typed by hand counts too.
  const folded = (text: string) => text.normalize('NFC').toLocaleLowerCase('vi');
  const missing = calendar ? LUNAR_HOLIDAYS.filter((h) => !calendar.days.some((d) => d.kind === 'HOLIDAY' && folded(d.name).includes(folded(h.words)))) : [];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('calendar.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('calendar.intro')}</Typography.Paragraph>
      <Space wrap>
        <label htmlFor="calendar-year">{t('calendar.year')}</label>
        <InputNumber id="calendar-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Button type="primary" onClick={() => setEditing({ kind: 'HOLIDAY' })}>{t('calendar.add')}</Button>
      </Space>
      {error ? <FailureAlert error={error} onClose={() => setError(null)} /> : null}
      {calendar && (
        <>
          <Typography.Text>{t('calendar.hours', { zone: calendar.timeZone, hours: calendar.workingHours.map(([a, b]) => `${a}–${b}`).join(', ') })}</Typography.Text>
          {missing.length > 0 && (
            <Alert type="warning" showIcon data-testid="calendar-missing"
              title={t('calendar.missing', { year: calendar.year, holidays: missing.map((h) => h.words).join(', ') })}
              description={t('calendar.missingHint')} />
          )}
          <Table<CalendarDay> rowKey="day" size="small" pagination={false} dataSource={calendar.days} data-testid="calendar-days"
            locale={{ emptyText: <Typography.Text>{t('calendar.none')}</Typography.Text> }}
            columns={[
              { title: t('calendar.day'), dataIndex: 'day', key: 'day', render: (v: string) => `${weekday(v)}, ${formatDate(v)}` },
              { title: t('calendar.kind'), dataIndex: 'kind', key: 'kind', render: (v: string) => <Tag color={v === 'HOLIDAY' ? '#a8071a' : '#003a8c'}>{t(`calendar.kinds.${v}`)}</Tag> },
              { title: t('calendar.name'), dataIndex: 'name', key: 'name' },
              { title: t('calendar.source'), dataIndex: 'source', key: 'source' },
              { title: t('calendar.updated'), key: 'updated', render: (_: unknown, d) => (d.updatedBy ? formatDateTime(d.updatedAt) : t('calendar.shipped')) },
              {
                title: t('review.detail.actions'),
                key: 'actions',
                render: (_: unknown, d) => (
                  <Space>
                    <Button size="small" aria-label={`${t('calendar.edit')} ${formatDate(d.day)}`} onClick={() => setEditing({ day: d.day, kind: d.kind as DayValues['kind'], name: d.name, source: d.source })}>{t('calendar.edit')}</Button>
                    <Button size="small" danger aria-label={`${t('calendar.remove')} ${formatDate(d.day)}`} onClick={() => void remove(d)}>{t('calendar.remove')}</Button>
                  </Space>
                ),
              },
            ]} />
        </>
      )}
      {editing && (
        <DayDialog initial={editing} onClose={() => setEditing(null)} onSaved={async (day) => {
          void message.success(t('calendar.saved'));
          setEditing(null);
          // A day of another year shows that year (its load follows the change); else this one again.
          const dayYear = Number(day.slice(0, 4));
          if (dayYear !== year) setYear(dayYear);
          else await load();
        }} />
      )}
    </Space>
  );
}

/** Records one day (a new one, or an existing one changed): PUT /calendar/days/{day}. */
function DayDialog({ initial, onClose, onSaved }: { initial: Partial<DayValues>; onClose: () => void; onSaved: (day: string) => Promise<void> }) {
  const { t } = useLabels();
  const [form] = Form.useForm<DayValues>();
  const required = [{ required: true, message: t('review.form.required') }];
  const { busy, error, submit } = useFormSubmit(form, async ({ day, kind, name, source }: DayValues) => {
    await call(api.PUT('/control/v1/calendar/days/{day}', { params: { path: { day } }, body: { kind, name, source } }));
    await onSaved(day);
  });

  return (
    <Modal open title={initial.day ? t('calendar.editTitle', { day: formatDate(initial.day) }) : t('calendar.add')} okText={t('review.act.submit')} cancelText={t('review.act.cancel')}
      okButtonProps={{ loading: busy }} onOk={() => form.submit()} onCancel={onClose} width={600} destroyOnHidden>
      {error ? <FailureAlert error={error} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initial}>
        {/* The day is what an entry is kept under: editing changes what it says, another day is a new entry. */}
        <Form.Item name="day" label={t('calendar.day')} rules={required}><DayField disabled={Boolean(initial.day)} /></Form.Item>
        <Form.Item name="kind" label={t('calendar.kind')} rules={required}>
          <Radio.Group options={(['HOLIDAY', 'WORKDAY'] as const).map((v) => ({ value: v, label: t(`calendar.kinds.${v}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.name')} rules={[...required, { min: 2, max: 200, message: t('calendar.nameLength') }]}><Input placeholder="Tết Nguyên đán Đinh Mùi" /></Form.Item>
        <Form.Item name="source" label={t('calendar.source')} rules={[...required, { min: 5, max: 500, message: t('calendar.sourceLength') }]}>
          <Input.TextArea rows={2} placeholder={t('calendar.sourcePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
