import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { VIETNAMESE_VOCABULARIES } from '../../../src/shared/i18n/enum-labels.vi';
import { ApiFailure } from '../api/client';
import { adminEn } from './admin.en';
import { adminVi } from './admin.vi';
import { en } from './en';
import { reviewEn } from './review.en';
import { reviewVi } from './review.vi';
import { unitEn } from './unit.en';
import { unitVi } from './unit.vi';
import { vi } from './vi';

export type Language = 'vi' | 'en';
const STORAGE_KEY = 'console.language';

/** Vietnamese unless the person chose English on this browser. */
export function initialLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
}

void i18n.use(initReactI18next).init({
  // Each role's screens bring their own strings file, one line each, under their own key.
  resources: {
    vi: {
      translation: {
        ...vi,
        ...unitVi,
        ...adminVi,
        ...{ review: reviewVi },
      },
    },
    en: {
      translation: {
        ...en,
        ...unitEn,
        ...adminEn,
        ...{ review: reviewEn },
      },
    },
  },
  lng: initialLanguage(),
  fallbackLng: 'vi',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

// The window's title speaks the chosen language too (index.html carries the Vietnamese one).
const showTitle = () => {
  document.title = i18n.t('app.title');
};
i18n.on('languageChanged', showTitle);
showTitle();

/**
 * A value of the API's enums in words: in Vietnamese, the guidance's term from the gateway's own
 * vocabulary (the one the OpenAPI document's x-enum-descriptions carry); in English, the code
 * spelled out.
 */
export function enumLabel(value: string | null | undefined, language: string): string {
  if (!value) return '';
  if (language === 'vi') {
    const vocabulary = VIETNAMESE_VOCABULARIES.find((v) => value in v);
    if (vocabulary) return vocabulary[value];
  }
  const words = value.replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const LIFECYCLE = VIETNAMESE_VOCABULARIES.find((v) => 'AGREEMENT_SIGNED' in v)!;
/**
 * A connection state in words. The lifecycle's own vocabulary, not the first that has the value:
 * APPROVED and RETURNED are also words of the data-authority review ("Đã phê duyệt").
 */
export function stateLabel(state: string | null | undefined, language: string): string {
  return language === 'vi' && state && state in LIFECYCLE ? LIFECYCLE[state] : enumLabel(state, language);
}

/**
 * What a person reads of a refusal: the gateway's Vietnamese text, or its English message. A
 * validation error with its fields listed reads as the console's own sentence: the API's speaks of
 * its `details` member, which the console shows as the list below it.
 */
export function failureText(error: unknown, language: string, fallback: string): string {
  if (error instanceof ApiFailure && error.code === 'VALIDATION_FAILED' && error.body.details?.length) return i18n.t('errors.validation');
  if (error instanceof ApiFailure) return (language === 'vi' ? error.body.messageVi : error.body.message) ?? error.body.message ?? fallback;
  return fallback;
}

export function useLabels() {
  const { t, i18n: instance } = useTranslation();
  const language = instance.language;
  return { t, language, label: (value: string | null | undefined) => enumLabel(value, language) };
}

export default i18n;
