/**
 * A minimal event emitter that runs everywhere (Node, browsers, Workers)
 * with the method names Node's `EventEmitter` users know.
 */

/** A listener of any event. */
export type Listener = (...args: any[]) => void;

/** `on`/`once`/`off`/`emit` with Node's semantics for the common cases. */
export class Emitter {
  private listeners = new Map<string | symbol, Listener[]>();

  /** Adds `fn` for `event`. */
  on(event: string | symbol, fn: Listener): this {
    const l = this.listeners.get(event);
    if (l) l.push(fn);
    else this.listeners.set(event, [fn]);
    return this;
  }

  /** Same as {@link Emitter.on}. */
  addListener(event: string | symbol, fn: Listener): this {
    return this.on(event, fn);
  }

  /** Adds `fn` for the next `event` only. */
  once(event: string | symbol, fn: Listener): this {
    const w: Listener & { inner?: Listener } = (...args) => {
      this.off(event, w);
      fn(...args);
    };
    w.inner = fn;
    return this.on(event, w);
  }

  /** Removes `fn` (added with `on` or `once`) from `event`. */
  off(event: string | symbol, fn: Listener): this {
    const l = this.listeners.get(event);
    if (!l) return this;
    const i = l.findIndex((x) => x === fn || (x as { inner?: Listener }).inner === fn);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this.listeners.delete(event);
    return this;
  }

  /** Same as {@link Emitter.off}. */
  removeListener(event: string | symbol, fn: Listener): this {
    return this.off(event, fn);
  }

  /** Removes every listener of `event`, or of every event. */
  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  /** Calls the listeners of `event`; true if there were any. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const l = this.listeners.get(event);
    if (!l) return false;
    for (const fn of [...l]) fn(...args);
    return true;
  }

  /** Number of listeners of `event`. */
  listenerCount(event: string | symbol): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}
