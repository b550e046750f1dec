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

/**
 * A share as a reader sees it, to the whole percent: "12%". A share that rounds to 0 % or 100 % without
 * being so reads "<1%" or ">99%": a reason behind 3 decisions in 10 000 is not "0%".
 */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const rounded = Math.round((part / whole) * 100);
  if (rounded === 0 && part > 0) return '<1%';
  if (rounded === 100 && part < whole) return '>99%';
  return `${rounded}%`;
}

/** The same share as a CSS length, unrounded: a bar's width. */
export const shareWidth = (part: number, whole: number) => (whole === 0 ? '0%' : `${(part / whole) * 100}%`);

/**
 * A count with its unit, the unit (a plural noun, as policy documents write them) made singular for
 * one: "1 send", "1 reply", "500 sends".
 */
export function quantity(n: number, unit: string): string {
  if (n !== 1) return `${n} ${unit}`;
  return `${n} ${unit.endsWith('ies') ? `${unit.slice(0, -3)}y` : unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
}

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
