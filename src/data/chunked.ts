/**
 * Append-only numeric columns stored in fixed-size chunks, for reading files whose row count is
 * not known in advance without the doubling copies (and doubled peak memory) of a growable array.
 * Row i lives at chunks[i >>> CHUNK_BITS][i & CHUNK_MASK].
 */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class ChunkedFloat64 {
  private readonly chunks: Float64Array[] = [];
  private cur = new Float64Array(0);
  length = 0;

  push(v: number): void {
    const j = this.length & CHUNK_MASK;
    if (j === 0) {
      this.cur = new Float64Array(CHUNK);
      this.chunks.push(this.cur);
    }
    this.cur[j] = v;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }
}

export class ChunkedInt32 {
  private readonly chunks: Int32Array[] = [];
  private cur = new Int32Array(0);
  length = 0;

  push(v: number): void {
    const j = this.length & CHUNK_MASK;
    if (j === 0) {
      this.cur = new Int32Array(CHUNK);
      this.chunks.push(this.cur);
    }
    this.cur[j] = v;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }
}
