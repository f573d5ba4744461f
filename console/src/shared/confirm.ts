import { App } from 'antd';
import { useLabels } from '../i18n';

/**
 * The console's second step before an act that cannot be taken back (a cut-off, a termination, a
 * merger, a revocation…): a dialog that names what is about to happen, answered Xác nhận / Hủy.
 * Resolves true when confirmed. `danger` paints the confirming button red.
 */
export function useConfirm(): (title: string, content: string, options?: { danger?: boolean }) => Promise<boolean> {
  const { modal } = App.useApp();
  const { t } = useLabels();
  return async (title, content, { danger = true } = {}) =>
    Boolean(await modal.confirm({ title, content, okText: t('review.act.confirm'), cancelText: t('review.act.cancel'), okButtonProps: { danger } }));
}
