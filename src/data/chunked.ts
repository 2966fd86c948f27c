/**
 * Append-only columns stored in fixed-size chunks, for reading files whose row count is not known
 * in advance without the doubling copies (and doubled peak memory) of a growable array.
 * Row i lives at chunks[i >>> CHUNK_BITS][i & CHUNK_MASK]. The element type is the narrowest the
 * values allow (8-bit voice and intervention while a panel is read).
 */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

type TypedColumn = Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
type ColumnConstructor<A extends TypedColumn> = new (length: number) => A;

export interface ChunkedColumn {
  readonly length: number;
  push(v: number): void;
  get(i: number): number;
  /** Release every row (the column is empty afterwards). */
  clear(): void;
}

/**
 * A chunked column class of one element type. Each call makes its own class (own push and get
 * functions), so every element type's accesses stay monomorphic in the read loop (one shared
 * class over four element types read the 10^7-row panel about 1.3x slower).
 */
function chunkedClass<A extends TypedColumn>(make: ColumnConstructor<A>): new () => ChunkedColumn {
  return class implements ChunkedColumn {
    private readonly chunks: A[] = [];
    private cur: A = new make(0);
    length = 0;

    push(v: number): void {
      const j = this.length & CHUNK_MASK;
      if (j === 0) {
        this.cur = new make(CHUNK);
        this.chunks.push(this.cur);
      }
      this.cur[j] = v;
      this.length++;
    }

    get(i: number): number {
      return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
    }

    clear(): void {
      this.chunks.length = 0;
      this.cur = new make(0);
      this.length = 0;
    }
  };
}

export const ChunkedFloat64 = chunkedClass(Float64Array);
export const ChunkedInt32 = chunkedClass(Int32Array);
export const ChunkedInt16 = chunkedClass(Int16Array);
export const ChunkedInt8 = chunkedClass(Int8Array);
export const ChunkedUint8 = chunkedClass(Uint8Array);

/**
 * The physical line of each row pushed, kept as the exceptions only: rows are usually on
 * consecutive lines (line(i) = line(i-1) + 1), so only the rows where that fails (the first row,
 * rows after an empty line, a multi-line quoted record or a skipped row) are stored, with their
 * line. line(i) is then the last exception at or before i plus the distance to it.
 */
export class RowLines {
  private readonly rows = new ChunkedInt32();
  private readonly lines = new ChunkedInt32();
  private last = -2;
  length = 0;

  push(line: number): void {
    if (line !== this.last + 1) {
      this.rows.push(this.length);
      this.lines.push(line);
    }
    this.last = line;
    this.length++;
  }

  clear(): void {
    this.rows.clear();
    this.lines.clear();
    this.last = -2;
    this.length = 0;
  }

  get(i: number): number {
    // the last exception at or before row i (binary search over the exceptions' rows)
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.rows.get(mid) <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.lines.get(lo) + (i - this.rows.get(lo));
  }
}
