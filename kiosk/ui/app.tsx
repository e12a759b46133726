// The whole UI as a pure function of the connection state and the route: the kiosk screen for the current view
// (with the timeout warning over it and the operator strip under it), or the operator panel at #operator.
import { ClockContext, TimeoutWarning } from './components.tsx';
import type { ConnectionState } from './connection.ts';
import { showsTimeoutWarning } from './flow.ts';
import { strings } from './i18n.ts';
import { OperatorPanel, OperatorStrip } from './operator.tsx';
import { SCREEN_COMPONENTS } from './screens/index.ts';
import type { Send } from './types.ts';

export type Route = 'kiosk' | 'operator';

export function routeOf(hash: string): Route {
  return hash.replace(/^#/, '').split(/[&?]/)[0] === 'operator' ? 'operator' : 'kiosk';
}

export function App({ state, route, send, strip = true }: { state: ConnectionState; route: Route; send: Send; strip?: boolean }) {
  if (route === 'operator') return <OperatorPanel state={state} send={send} />;

  const view = state.view;
  if (!view) {
    const t = strings('ja');
    return (
      <div class="kiosk">
        <div class="screen waiting" data-screen="connecting" lang="ja">
          <p class="progress" role="status"><span class="spinner" aria-hidden="true" /> {t.connecting} <span lang="en">/ {strings('en').connecting}</span></p>
        </div>
        {strip && <OperatorStrip state={state} send={send} />}
      </div>
    );
  }

  const t = strings(view.language);
  const Screen = SCREEN_COMPONENTS[view.screen];
  return (
    <ClockContext.Provider value={state.devices?.clock ?? null}>
      <div class="kiosk">
        {/* Keyed by screen: input held by a screen (PIN digits, a prefecture) never outlives it. */}
        <Screen key={view.screen} view={view} t={t} send={send} hello={state.hello} devices={state.devices} />
        {showsTimeoutWarning(view) && <TimeoutWarning view={view} t={t} send={send} />}
        {state.status !== 'open' && <div class="offline" role="status" data-testid="offline">{t.connecting}</div>}
        {state.error && <div class="server-error" role="alert" data-testid="server-error" lang="en">{state.error}</div>}
        {strip && <OperatorStrip state={state} send={send} />}
      </div>
    </ClockContext.Provider>
  );
}
