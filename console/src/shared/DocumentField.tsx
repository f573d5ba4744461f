import { UploadOutlined } from '@ant-design/icons';
import { Button, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';
import { DocumentLink } from './DocumentLink';
import { FailureAlert } from './failure';

type StoredDocument = components['schemas']['StoredDocumentView'];

/**
 * Files a document (POST /control/v1/documents, raw body): the gateway sniffs its type and scans
 * it for malware before keeping it, and answers the documentId the dossier or report quotes. The
 * file name travels percent-encoded (a header carries only ASCII; the gateway decodes it).
 */
export function uploadDocument(file: File): Promise<StoredDocument> {
  return call<StoredDocument>(
    api.POST('/control/v1/documents', {
      params: { header: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
    }),
  );
}

/**
 * A form control whose value is the documentId of a file the person chose and the gateway kept
 * (every dossier, report and decision document, in the unit's and the DTD's forms alike).
 * `id` is Form.Item's, so the field's label names the file input (accessibility, and tests).
 */
export function DocumentField({ id, value, onChange }: { id?: string; value?: string; onChange?: (documentId: string | undefined) => void }) {
  const { t } = useLabels();
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<{ name: string; doc: StoredDocument } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = async (file: File) => {
    setBusy(true);
    setError(null);
    onChange?.(undefined);
    try {
      const doc = await uploadDocument(file);
      setStored({ name: file.name, doc });
      onChange?.(doc.documentId);
    } catch (failure) {
      setStored(null);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Upload
        id={id}
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => {
          void choose(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy}>{busy ? t('document.uploading') : t('document.choose')}</Button>
      </Upload>
      {stored && value && (
        <Typography.Text style={{ color: '#135200' }} data-testid="document-uploaded">
          {t('document.uploaded', { name: stored.name, size: Math.max(1, Math.round(stored.doc.sizeBytes / 1024)), sha: stored.doc.sha256.slice(0, 12) })}
        </Typography.Text>
      )}
      {/* Revising a dossier: the document filed before stays unless another is chosen. */}
      {!stored && value && <DocumentLink documentId={value} />}
      {!stored && <Typography.Text type="secondary">{t('document.hint')}</Typography.Text>}
      <FailureAlert error={error} />
    </Space>
  );
}
