// Each vitest project runs the build it is named after (vitest.config.ts): the `scalar` project
// sets WASM_MEMORYVIEW_SIMD=0, which init() reads. Were that lost, the scalar project would pass
// every suite a second time on the SIMD build; this file fails instead.
import { beforeAll, expect, it } from 'vitest';
import { init, runtimeInfo } from '../src/index.js';

beforeAll(async () => {
  await init();
});

it('runs the build its vitest project is named after', ({ task }) => {
  expect([task.file.projectName, runtimeInfo().build]).toEqual([
    task.file.projectName,
    task.file.projectName === 'scalar' ? 'scalar' : 'simd',
  ]);
});
