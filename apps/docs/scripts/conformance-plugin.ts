import { mkdirSync, writeFileSync } from 'node:fs';
import type { Plugin } from '@docusaurus/types';

/** Where the built site serves the conformance vectors for the "check your device" page. */
export const CONFORMANCE_URL = 'conformance/cases.json';

/**
 * Writes the third-party conformance vectors (read by testkit's own loader, so the page runs the
 * very cases the test suites run) into the built site as one JSON file, fetched by the page only
 * when the reader presses Run. Float32Arrays are written as plain number lists.
 */
export default function conformancePlugin(): Plugin {
  return {
    name: 'convkit-conformance',
    async postBuild({ outDir }) {
      const { loadConformanceCases } = await import('@convkit/testkit/node');
      const core = await import('@convkit/core');
      const cases = loadConformanceCases(core);
      const json = JSON.stringify(cases, (_key, value: unknown) =>
        value instanceof Float32Array ? { float32: Array.from(value) } : value,
      );
      mkdirSync(`${outDir}/conformance`, { recursive: true });
      writeFileSync(`${outDir}/${CONFORMANCE_URL}`, json);
    },
  };
}
