import { Alert, Card, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';
import { AgreementDetails } from './AgreementDetails';
import { FailureAlert } from './failure';

type Agreement = components['schemas']['AgreementView'];
type Page = { items: Agreement[]; nextCursor: string | null };

/**
 * A connection's agreement in force (Appendix II step 3; IV.5.b): the scope, quotas and source
 * addresses the gateway applies to every call. The unit's engineer reads why a call was refused;
 * the security officer judges a refusal or an unknown address against it. `version` changes when
 * the connection is loaded again, and the agreement with it.
 */
export function AgreementInForce({ connectionId, ended = false, version = 0 }: { connectionId: string; ended?: boolean; version?: number }) {
  const { t } = useLabels();
  const [agreements, setAgreements] = useState<Agreement[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const page = await call<Page>(api.GET('/control/v1/connections/{id}/agreements', { params: { path: { id: connectionId }, query: { limit: 100 } } }));
      setAgreements(page.items);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [connectionId]);
  useEffect(() => void load(), [load, version]);

  // Versions come oldest first; the newest is the one in force (until the connection ends).
  const latest = agreements?.at(-1);
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t(ended ? 'unit.agreement.lastOne' : 'unit.agreement.inForce')}</h2>}>
      {error ? <FailureAlert error={error} /> : !agreements ? <Spin /> : latest ? (
        <>
          <AgreementDetails agreement={latest} testId="agreement-in-force" />
          {agreements.length > 1 && <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>{t('unit.agreement.versions', { count: agreements.length })}</Typography.Paragraph>}
        </>
      ) : (
        <Alert type="info" showIcon title={t('unit.agreement.none')} />
      )}
    </Card>
  );
}
