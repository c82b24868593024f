import { describe, expect, it } from 'vitest';
import {
  dayToIsoDate,
  isValidTimeZone,
  isoDateToDay,
  localDay,
  localMsOfDay,
  offsetAt,
  startOfLocalDay,
  zonedInstant,
} from '../../../src/main/reminders/zoned-days';

const H = 3_600_000;
const startIso = (date: string, tz: string) => new Date(startOfLocalDay(isoDateToDay(date), tz)).toISOString();
const dayIn = (iso: string, tz: string) => dayToIsoDate(localDay(Date.parse(iso), tz));

describe('zoned days', () => {
  it('reads offsets, including half- and three-quarter-hour zones', () => {
    expect(offsetAt(Date.UTC(2026, 6, 1), 'Europe/Paris')).toBe(2 * H);
    expect(offsetAt(Date.UTC(2026, 0, 1), 'Europe/Paris')).toBe(1 * H);
    expect(offsetAt(Date.UTC(2026, 0, 1), 'Asia/Kathmandu')).toBe(5.75 * H);
    expect(offsetAt(Date.UTC(2026, 0, 1), 'Pacific/Chatham')).toBe(13.75 * H);
    expect(offsetAt(Date.UTC(2026, 0, 1), 'America/St_Johns')).toBe(-3.5 * H);
  });

  it('puts one instant on different calendar days across the date line', () => {
    expect(dayIn('2026-01-01T12:00:00Z', 'Pacific/Kiritimati')).toBe('2026-01-02');
    expect(dayIn('2026-01-01T12:00:00Z', 'Pacific/Pago_Pago')).toBe('2026-01-01');
    expect(dayIn('2026-01-01T23:30:00Z', 'UTC')).toBe('2026-01-01');
    expect(dayIn('2026-01-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-01-02');
  });

  it('finds the start of a local day on daylight-saving days (23 and 25 hour days)', () => {
    expect(startIso('2026-03-29', 'Europe/Paris')).toBe('2026-03-28T23:00:00.000Z');
    expect(startIso('2026-03-30', 'Europe/Paris')).toBe('2026-03-29T22:00:00.000Z'); // the 23-hour day
    expect(startIso('2026-10-26', 'Europe/Paris')).toBe('2026-10-25T23:00:00.000Z'); // after the 25-hour day
    expect(startIso('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startIso('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });

  it('starts a day at 01:00 where the spring change skips midnight (Havana, Santiago)', () => {
    // Cuba: 00:00 -> 01:00 on 2026-03-08, so the day begins at 01:00 CDT (05:00Z).
    expect(startIso('2026-03-08', 'America/Havana')).toBe('2026-03-08T05:00:00.000Z');
    // Chile: Saturday 24:00 -> Sunday 01:00 on 2026-09-06.
    expect(startIso('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(localDay(Date.parse('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe(isoDateToDay('2026-09-06'));
    expect(localDay(Date.parse('2026-09-06T03:59:59Z'), 'America/Santiago')).toBe(isoDateToDay('2026-09-05'));
  });

  it('resolves skipped and repeated wall times like Temporal "compatible"', () => {
    const spring = isoDateToDay('2026-03-29');
    expect(new Date(zonedInstant(spring, 2.5 * H, 'Europe/Paris')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    const autumn = isoDateToDay('2026-10-25');
    expect(new Date(zonedInstant(autumn, 2.5 * H, 'Europe/Paris')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(localMsOfDay(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Paris')).toBe(2.5 * H);
  });

  it('handles leap days and rejects impossible dates and zones', () => {
    expect(dayToIsoDate(isoDateToDay('2028-02-29') + 365)).toBe('2029-02-28');
    expect(dayToIsoDate(isoDateToDay('2028-02-28') + 1)).toBe('2028-02-29');
    expect(() => isoDateToDay('2027-02-29')).toThrow(RangeError);
    expect(() => isoDateToDay('2027-2-3')).toThrow(RangeError);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
