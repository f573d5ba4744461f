import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t('language.label')}
      value={i18n.language as Language}
      options={[
        { label: 'Tiếng Việt', value: 'vi' },
        { label: 'English', value: 'en' },
      ]}
      onChange={(value) => setLanguage(value)}
    />
  );
}
