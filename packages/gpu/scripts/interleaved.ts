// Timing shared by the measure-* scripts: the variants of one call alternate call by call, so
// machine load (the 2-core CI box is shared) hits every variant alike, and the median of each
// variant's calls is what they report.

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs every variant of `work` once per round for `rounds` rounds and returns each variant's median time in ms. */
export async function interleavedMedians<Label extends string>(
  rounds: number,
  work: Readonly<Record<Label, () => Promise<unknown>>>,
): Promise<Record<Label, number>> {
  const labels = Object.keys(work) as Label[];
  const samples = Object.fromEntries(labels.map((label) => [label, [] as number[]])) as Record<Label, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const label of labels) {
      const started = performance.now();
      await work[label]();
      samples[label].push(performance.now() - started);
    }
  }
  return Object.fromEntries(labels.map((label) => [label, median(samples[label])])) as Record<Label, number>;
}
