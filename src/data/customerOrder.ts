const INTEGER = /^[+-]?\d+$/;

/**
 * Sort order of customer ids: numeric when every id is an integer (ids longer than 2^53 compared
 * exactly as BigInt), else by string. Returns the indices of `ids` in sorted order, so that the
 * panel does not depend on the order of rows in a file.
 */
export function customerOrder(ids: readonly string[]): Int32Array {
  const order = Array.from({ length: ids.length }, (_, i) => i);
  if (ids.every((s) => INTEGER.test(s))) {
    const keys = ids.map((s) => BigInt(s));
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  } else {
    order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  }
  return Int32Array.from(order);
}
