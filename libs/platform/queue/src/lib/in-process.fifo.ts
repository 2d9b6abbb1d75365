/**
 * A first-in first-out list: an array with a moving head, so taking an item is O(1)
 * amortized (never a shift per item).
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The item first in line, if any. */
  peek(): T | undefined {
    return this.items[this.head];
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // Drop the consumed prefix now and then: O(1) amortized per item.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
