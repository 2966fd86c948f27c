/**
 * Seeded pseudo-random numbers (sfc32 seeded through splitmix32): every random choice in squeaky
 * takes a seed. `Rng.stream(seed, k)` gives the k-th independent stream for a seed, so that
 * work split across starts or threads draws the same numbers however it is scheduled.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let s = (Math.floor(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static stream(seed: number, k: number): Rng {
    return new Rng(seed, k);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box-Muller, no caching so the stream stays simple to reason about). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Index drawn from probabilities p[offset .. offset+n-1] (need not be normalised exactly). */
  categorical(p: ArrayLike<number>, offset = 0, n = p.length - offset): number {
    let total = 0;
    for (let i = 0; i < n; i++) total += p[offset + i];
    let u = this.uniform() * total;
    for (let i = 0; i < n - 1; i++) {
      u -= p[offset + i];
      if (u < 0) return i;
    }
    return n - 1;
  }
}

/** Seeds are 32-bit: larger values would repeat the streams of smaller ones, so options refuse them. */
export const MAX_SEED = 2 ** 32 - 1;
