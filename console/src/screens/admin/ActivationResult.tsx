import { Alert, Typography } from 'antd';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { formatDateTime } from '../../shared/dates';

type Issued = components['schemas']['IssuedActivationView'];

/** The administrator's half of a one-time activation code: shown once, to be handed over in person. */
export function ActivationResult({ issued }: { issued: Issued }) {
  const { t } = useLabels();
  return (
    <Alert
      type="success"
      showIcon
      data-testid="activation-result"
      title={t('admin.activationTitle')}
      description={
        <>
          <Typography.Paragraph>{t('admin.activationBody', { expires: formatDateTime(issued.activation.expiresAt) })}</Typography.Paragraph>
          <Typography.Text>{t('admin.activationCode')}: </Typography.Text>
          <Typography.Text code copyable data-testid="administrator-part">{issued.activation.administratorPart}</Typography.Text>
        </>
      }
    />
  );
}
