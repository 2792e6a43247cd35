import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_ROOT, loadConformanceCases } from '../src/node.js';

// testkit depends on no backend: the ONNX attributes pass through unmapped, enough to check the tensors.
const passThrough = {
  fromOnnxConvAttributes: (attributes: never) => attributes,
  fromOnnxConvTransposeAttributes: (attributes: never) => attributes,
};

const repositoryFixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
// The shared originals sit beside a checkout (../shared); a fresh clone elsewhere has none.
const sharedRoot = fileURLToPath(new URL('../../../../shared/', import.meta.url));

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the repository copies of the shared test data', () => {
  it.skipIf(!existsSync(sharedRoot))('are byte-identical to ../shared (conformance vectors and workloads)', () => {
    const shared = filesUnder(join(sharedRoot, 'conformance'))
      .map((path) => relative(sharedRoot, path))
      .sort();
    const copied = filesUnder(join(repositoryFixtures, 'conformance'))
      .map((path) => relative(repositoryFixtures, path))
      .sort();
    expect(copied).toEqual(shared);
    for (const path of [...shared, 'workloads.json']) {
      expect(readFileSync(join(repositoryFixtures, path)).equals(readFileSync(join(sharedRoot, path))), path).toBe(
        true,
      );
    }
  });

  it('load as 190 cases with tensors whose data match their shapes', () => {
    const cases = loadConformanceCases(passThrough, CONFORMANCE_ROOT);
    expect(cases.length).toBe(190);
    for (const entry of cases) {
      for (const tensor of [entry.input, entry.weight, entry.expected]) {
        expect(tensor.data.length, entry.id).toBe(tensor.shape.reduce((product, extent) => product * extent, 1));
      }
    }
  });
});
