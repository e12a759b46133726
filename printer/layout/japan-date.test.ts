import { describe, expect, it } from 'vitest';
import { eraDate, japanDateTime } from './japan-date.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import { DocumentLayoutError } from '../errors.ts';

describe('eraDate', () => {
  it('prints 令和 with ordinary year numbers', () => {
    expect(eraDate('2025-11-21T14:05:00+09:00')).toBe('令和7年11月21日');
  });

  it('calls the first year 元年 and switches era on 2019-05-01 in Japan time', () => {
    expect(eraDate('2019-05-01T00:00:00+09:00')).toBe('令和元年5月1日');
    expect(eraDate('2019-04-30T15:00:00Z')).toBe('令和元年5月1日');
    expect(eraDate('2019-04-30T14:59:59Z')).toBe('平成31年4月30日');
    expect(eraDate('2020-01-01T00:00:00+09:00')).toBe('令和2年1月1日');
  });

  it('uses the Japanese date even when UTC is still on the previous day', () => {
    expect(eraDate('2025-12-31T15:30:00Z')).toBe('令和8年1月1日');
  });

  it('reads a time without an offset as Japan time, whatever the machine zone', () => {
    expect(japanTime('2025-11-21T23:30:00')).toMatchObject({ day: 21, hour: 23, minute: 30 });
  });

  it('rejects something that is not a date', () => {
    expect(() => eraDate('yesterday')).toThrow(DocumentLayoutError);
    expect(() => eraDate('2025-13-45T00:00:00Z')).toThrow(/not an ISO date-time/);
  });
});

describe('japanDateTime', () => {
  it('prints date and time in Japan time', () => {
    expect(japanDateTime('2025-11-21T05:05:00Z')).toBe('2025年11月21日 14:05');
  });
});
