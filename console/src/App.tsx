import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, onSessionLost } from './api/client';
import type { Me } from './api/views';
import { SignIn } from './auth/SignIn';
import './i18n';
import { Shell } from './layout/Shell';
import { usePrefersReducedMotion } from './shared/reduced-motion';

/**
 * Ant Design's default secondary text (45% black) fails WCAG AA contrast (axe, in the browser
 * tests): help and description text is darkened to pass it.
 */
const TOKENS = { colorPrimary: '#b71c1c', colorError: '#cf1322', colorTextDescription: 'rgba(0, 0, 0, 0.65)', colorTextTertiary: 'rgba(0, 0, 0, 0.65)', colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)' };
// A field with focus outlined in blue, not in the primary red: red around a field reads as an error.
const FOCUS = '#1d39c4';
const FOCUS_GLOW = 'rgba(29, 57, 196, 0.15)';
const FIELD = { activeBorderColor: FOCUS, hoverBorderColor: FOCUS, activeShadow: `0 0 0 2px ${FOCUS_GLOW}` };
const COMPONENTS = { Input: FIELD, InputNumber: FIELD, DatePicker: FIELD, Select: { activeBorderColor: FOCUS, hoverBorderColor: FOCUS, activeOutlineColor: FOCUS_GLOW } };
const THEME = { token: TOKENS, components: COMPONENTS };
const THEME_WITHOUT_MOTION = { token: { ...TOKENS, motion: false }, components: COMPONENTS };

/** The console: who is signed in (the HttpOnly cookie's session, asked of /auth/me), then their screens. */
export function App() {
  const { i18n } = useTranslation();
  const reducedMotion = usePrefersReducedMotion();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  // Failed sign-ins under this username since the holder's last sign-in: told once, after sign-in.
  const [failedSince, setFailedSince] = useState(0);

  const refresh = useCallback(async () => {
    try {
      setMe(await call<Me>(api.GET('/control/v1/auth/me')));
    } catch {
      setMe(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onSessionLost(() => {
      setMe((current) => {
        if (current) setNotice('signIn.expired');
        return null;
      });
    });
  }, [refresh]);

  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : viVN} theme={reducedMotion ? THEME_WITHOUT_MOTION : THEME}>
      {/* Confirmations appear below the top bar: at antd's default (8 px) they covered a side
          drawer's close button for their 3 s, and held there while the pointer rested on them. */}
      <AntApp message={{ top: 72 }}>
        {me === undefined ? (
          <Spin fullscreen />
        ) : me === null ? (
          <SignIn notice={notice} onSignedIn={(failed) => { setNotice(null); setFailedSince(failed); void refresh(); }} />
        ) : (
          <Shell me={me} failedSince={failedSince} onSignedOut={() => { setNotice('signIn.signedOut'); setMe(null); }} onSessionChanged={() => void refresh()} />
        )}
      </AntApp>
    </ConfigProvider>
  );
}
