/** How values read on screen: outcomes and their colours, times, counts, and times in and out of inputs. */
import type { Outcome } from './types';

export const outcomes: readonly Outcome[] = ['allow', 'request', 'deny', 'limit'];

export const outcomeColors: Record<Outcome, string> = {
  allow: '#2f9e6b',
  request: '#3b7dd8',
  deny: '#d64545',
  limit: '#e09b24',
};

export const formatTime = (iso: string | number) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
export const formatDate = (iso: string | number) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/**
 * A bucket's label on a chart axis: the time of day for minutes and hours, the date for days; hours of a
 * period longer than a day (`withDate`) carry their date too.
 */
export function bucketLabel(iso: string, bucket: 'minute' | 'hour' | 'day', withDate = false): string {
  const d = new Date(iso);
  if (bucket === 'day') return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  if (withDate) return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);

const counts = new Intl.NumberFormat();
/** A count with the reader's thousands separators: 14006 → "14,006". */
export const formatCount = (n: number) => counts.format(n);

/** `datetime-local` inputs take local time without a zone: epoch ms or ISO → "2026-12-04T10:15". */
export function localInput(time: number | string): string {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** What a `datetime-local` input holds, as an ISO-8601 time with its zone; empty stays empty. */
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');
