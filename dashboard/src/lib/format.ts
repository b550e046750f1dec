/** How values read on screen: outcomes and their colours, times, counts. */
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

/** A bucket's label on a chart axis: the time of day for minutes and hours, the date for days. */
export function bucketLabel(iso: string, bucket: 'minute' | 'hour' | 'day'): string {
  const d = new Date(iso);
  return bucket === 'day' ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);
