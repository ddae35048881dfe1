// The copy planner's property tests under the scalar (no SIMD) build of the same kernels.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/wasm/init.js';
import { runtimeInfo } from '../src/wasm/instance.js';
import { copyPlannerProperties } from './helpers/copy-properties.js';

beforeAll(async () => {
  await init({ simd: false });
});

describe('the scalar build', () => {
  it('is the one running in this suite', () => {
    expect(runtimeInfo().simd).toBe(false);
  });
});

copyPlannerProperties(150);
