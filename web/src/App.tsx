import { App as AntApp, ConfigProvider, Spin } from 'antd';
import type { ThemeConfig } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './shared/api.ts';
import { I18nProvider, useI18n } from './shared/i18n.ts';
import { ConsoleLayout } from './Layout.tsx';
import { LoginPage } from './identity/LoginPage.tsx';
import { RestrictedPage } from './identity/RestrictedPage.tsx';
import { SessionContext, type SessionState } from './shared/session.ts';
import type { Session } from './shared/types.ts';

/** Providers: language first (antd's locale follows it), then antd's App for message/modal hooks. */
/**
 * The alliance red marks actions; a field in focus is blue, so it never looks like a field in error (also red).
 */
const focus = { activeBorderColor: '#1677ff', hoverBorderColor: '#4096ff', activeShadow: '0 0 0 2px rgba(5, 145, 255, 0.1)' };
const consoleTheme: ThemeConfig = {
  token: { colorPrimary: '#c41d2f' },
  components: { Input: focus, InputNumber: focus, Select: focus, DatePicker: focus, Mentions: focus },
};

export function Root() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}

function Themed() {
  const { antdLocale } = useI18n();
  return (
    <ConfigProvider locale={antdLocale} theme={consoleTheme}>
      <AntApp>
        <ConsoleApp />
      </AntApp>
    </ConfigProvider>
  );
}

type SessionStatus = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; session: Session };

/** GET /api/session decides: a 401 shows the login page, a session shows the console. */
function ConsoleApp() {
  const [status, setStatus] = useState<SessionStatus>({ state: 'loading' });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setStatus({ state: 'signed-in', session });
  }, []);

  const signOut = useCallback(() => {
    setCsrfToken(null);
    setStatus({ state: 'signed-out' });
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await api.get<Session>('/api/session'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) signOut();
      else throw err;
    }
  }, [adopt, signOut]);

  useEffect(() => {
    setUnauthorizedHandler(signOut);
    refresh().catch(() => setStatus({ state: 'signed-out' }));
    return () => setUnauthorizedHandler(null);
  }, [refresh, signOut]);

  const context = useMemo<SessionState | null>(
    () => (status.state === 'signed-in' ? { session: status.session, refresh } : null),
    [status, refresh],
  );

  if (status.state === 'loading') {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!context) return <LoginPage onSignedIn={refresh} />;
  return (
    <SessionContext.Provider value={context}>
      {context.session.security.restriction ? <RestrictedPage onSignedOut={signOut} /> : <ConsoleLayout onSessionChange={adopt} onSignedOut={signOut} />}
    </SessionContext.Provider>
  );
}
