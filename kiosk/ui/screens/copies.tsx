// Step 11: how many copies, 1 to the city's maximum.
import { useState } from 'preact/hooks';
import { DEFAULT_MAX_COPIES } from '../../../machine/rules/catalog.ts';
import { Frame } from '../components.tsx';
import { clampCopies } from '../flow.ts';
import { formatYen } from '../i18n/index.ts';
import type { ScreenProps } from '../types.ts';

export function Copies({ view, t, send }: ScreenProps) {
  const max = view.city?.maxCopies ?? DEFAULT_MAX_COPIES;
  const [copies, setCopies] = useState(clampCopies(view.request.copies || 1, max));
  const unit = view.certificates.find((c) => c.id === view.request.certificate)?.fee ?? null;

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.copiesTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="next" onClick={() => send({ type: 'event', event: { type: 'ui.selectCopies', copies } })}>
          {t.next}
        </button>
      }
    >
      <div class="copies">
        <button type="button" class="stepper" data-testid="copies-minus" aria-label={t.fewer} disabled={copies <= 1} onClick={() => setCopies(clampCopies(copies - 1, max))}>−</button>
        <output class="copies-count" data-testid="copies-count" data-copies={copies} aria-live="polite">{t.copiesCount(copies)}</output>
        <button type="button" class="stepper" data-testid="copies-plus" aria-label={t.more} disabled={copies >= max} onClick={() => setCopies(clampCopies(copies + 1, max))}>+</button>
      </div>
      <p class="hint center">{t.copiesMax(max)}</p>
      {unit !== null && (
        <p class="lead center" data-testid="copies-total">
          {t.total}: {formatYen(unit * copies, view.language)}
        </p>
      )}
    </Frame>
  );
}
