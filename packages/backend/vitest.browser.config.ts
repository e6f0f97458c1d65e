import { browserProject } from '../../scripts/vitest-browser.ts';

export default browserProject('backend');
