import { describe, expect, it } from 'vitest';
import { runBackwardBench } from '../src/backward.js';

describe('pnpm bench:backward --tiny (the backward rows on the smoke shapes)', () => {
  it('times convkit-core on W1, W6 and W7 and says where tfjs cannot differentiate', async () => {
    const results = await runBackwardBench({ tiny: true });
    for (const id of ['W1', 'W6', 'W7']) {
      expect(results.rows.find((row) => row.workload === id && row.engine === 'convkit-core')?.status).toBe('ok');
    }
    // tfjs 4.22 has no conv gradient for dilation > 1 (W6) and no Conv2DBackpropFilter on wasm.
    expect(results.rows.find((row) => row.workload === 'W6' && row.engine === 'tfjs-cpu')?.reason).toContain(
      'dilation rates greater than 1',
    );
    expect(results.rows.find((row) => row.workload === 'W1' && row.engine === 'tfjs-wasm')?.reason).toContain(
      'Conv2DBackpropFilter',
    );
    // where tfjs does differentiate, its gradients agree with convkit's (checked before timing)
    expect(results.rows.find((row) => row.workload === 'W1' && row.engine === 'tfjs-cpu')?.status).toBe('ok');
    expect(results.rows.find((row) => row.workload === 'W7' && row.engine === 'tfjs-cpu')?.status).toBe('ok');
  }, 120_000);
});
