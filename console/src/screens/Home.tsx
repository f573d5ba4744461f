import { Descriptions, Typography } from 'antd';
import type { Me } from '../api/views';
import { useLabels } from '../i18n';

export function Home({ me }: { me: Me }) {
  const { t, label } = useLabels();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('home.welcome', { name: me.holderName })}</Typography.Title>
      <Descriptions column={1} bordered items={[
        { key: 'role', label: t('home.role'), children: label(me.role) },
        ...(me.unit ? [{ key: 'unit', label: t('home.unit'), children: me.unit }] : []),
      ]} />
      <Typography.Paragraph style={{ marginTop: 16 }}>{t('home.pick')}</Typography.Paragraph>
    </>
  );
}
