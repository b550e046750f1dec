/** The state of a view's API calls: whether one runs, and how the last one failed. */
import { asApiError, type ApiError } from './api';

export class Action {
  busy = $state(false);
  error = $state<ApiError | null>(null);
  /** Calls started so far: a load shows its answer only if no call started after it. */
  private calls = 0;

  /** Whether the last call failed and none runs now: what is still missing will not come without a retry. */
  get failed(): boolean {
    return this.error !== null && !this.busy;
  }

  /** Runs `work`; a failure is kept in `error` (for ErrorNotice) and the result is then undefined. */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.calls++;
    this.busy = true;
    this.error = null;
    try {
      return await work();
    } catch (err) {
      this.error = asApiError(err);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Fetches what a view shows for its current query, and `show`s it — or keeps its failure — only if
   * no later call of this action started meanwhile: an answer to a query the operator has since
   * changed (a filter, a page) never replaces the newer one's, nor hides its failure.
   */
  async load<T>(fetch: () => Promise<T>, show: (value: T) => void): Promise<void> {
    const call = ++this.calls;
    this.busy = true;
    this.error = null;
    try {
      const value = await fetch();
      if (call === this.calls) show(value);
    } catch (err) {
      if (call === this.calls) this.error = asApiError(err);
    } finally {
      if (call === this.calls) this.busy = false;
    }
  }
}
