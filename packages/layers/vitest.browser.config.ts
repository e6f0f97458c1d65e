import { browserProject } from '../../scripts/vitest-browser.ts';

// The golden checks on webgl (SwiftShader) take a while.
export default browserProject('layers', { testTimeout: 120_000 });
