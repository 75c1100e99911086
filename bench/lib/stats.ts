/** A growable list of samples (milliseconds or microseconds) with percentile summaries. */
export class Samples {
  private values = new Float64Array(1024);
  private length = 0;
  private sorted = true;

  add(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
    this.sorted = false;
  }

  get count(): number {
    return this.length;
  }

  /** Nearest-rank percentile; `p` in [0, 100]. NaN when empty. */
  percentile(p: number): number {
    if (this.length === 0) return Number.NaN;
    if (!this.sorted) {
      this.values.subarray(0, this.length).sort();
      this.sorted = true;
    }
    const rank = Math.min(this.length - 1, Math.max(0, Math.ceil((p / 100) * this.length) - 1));
    return this.values[rank]!;
  }

  get median(): number {
    return this.percentile(50);
  }

  get max(): number {
    return this.percentile(100);
  }
}

export function median(values: readonly number[]): number {
  const samples = new Samples();
  for (const value of values) samples.add(value);
  return samples.median;
}
