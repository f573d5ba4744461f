import { Space, Typography } from 'antd';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useLabels } from '../../i18n';
import { Problem } from './Problem';

interface Stored {
  documentId: string;
  sizeBytes: number;
}

/**
 * A form control whose value is the id of a document filed with POST /control/v1/documents: the
 * file goes up as soon as it is chosen (the gateway sniffs its type and screens it), the form
 * keeps its id. `id` comes from Form.Item, so the label names the file input.
 */
export function DocumentField({ id, value, onChange }: { id?: string; value?: string; onChange?: (documentId: string | undefined) => void }) {
  const { t } = useLabels();
  const [state, setState] = useState<{ busy?: boolean; stored?: Stored; error?: unknown }>({});

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setState({ busy: true });
    onChange?.(undefined);
    try {
      const stored = await call<Stored>(
        api.POST('/control/v1/documents', {
          // The raw bytes, not JSON: the gateway sniffs the type from them.
          params: { header: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) } },
          body: file as never,
          bodySerializer: (body: unknown) => body as BodyInit,
        }),
      );
      setState({ stored });
      onChange?.(stored.documentId);
    } catch (error) {
      setState({ error });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <input id={id} type="file" accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/*" onChange={(e) => void upload(e.target.files?.[0])} />
      {state.busy && <Typography.Text>{t('review.form.uploading')}</Typography.Text>}
      {state.stored && value && (
        <Typography.Text data-testid="document-uploaded">
          {t('review.form.uploaded', { size: state.stored.sizeBytes })} — {value.slice(0, 8)}
        </Typography.Text>
      )}
      {state.error ? <Problem error={state.error} /> : null}
    </Space>
  );
}

