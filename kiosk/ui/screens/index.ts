// One component per screen id: the Record type makes a screen without a component a compile error.
import type { FunctionComponent } from 'preact';
import type { Screen } from '../../../machine/types.ts';
import type { ScreenProps } from '../types.ts';
import { AdvancedMenu } from './advanced-menu.tsx';
import { Cancelled } from './cancelled.tsx';
import { CardReading } from './card-reading.tsx';
import { CardRemoval } from './card-removal.tsx';
import { CertificateSelect } from './certificate-select.tsx';
import { Registered } from './registered.tsx';
import { PinReset } from './pin-reset.tsx';
import { CitySelect } from './city-select.tsx';
import { Confirm } from './confirm.tsx';
import { Copies } from './copies.tsx';
import { GovernmentMenu } from './government-menu.tsx';
import { InfoSelect } from './info-select.tsx';
import { OutOfService } from './out-of-service.tsx';
import { Payment } from './payment.tsx';
import { PinEntry } from './pin-entry.tsx';
import { PinLocked } from './pin-locked.tsx';
import { PrintFailed } from './print-failed.tsx';
import { Printing } from './printing.tsx';
import { Refused } from './refused.tsx';
import { TakeCard } from './take-card.tsx';
import { Top } from './top.tsx';
import { TypeSelect } from './type-select.tsx';

export const SCREEN_COMPONENTS: Record<Screen, FunctionComponent<ScreenProps>> = {
  top: Top,
  'government-menu': GovernmentMenu,
  'advanced-menu': AdvancedMenu,
  'card-reading': CardReading,
  'city-select': CitySelect,
  'pin-entry': PinEntry,
  'pin-reset': PinReset,
  'card-removal': CardRemoval,
  'take-card': TakeCard,
  'certificate-select': CertificateSelect,
  'type-select': TypeSelect,
  'info-select': InfoSelect,
  copies: Copies,
  confirm: Confirm,
  payment: Payment,
  printing: Printing,
  refused: Refused,
  'pin-locked': PinLocked,
  'out-of-service': OutOfService,
  'print-failed': PrintFailed,
  cancelled: Cancelled,
  registered: Registered,
};
