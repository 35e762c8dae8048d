import { createTempRoot } from './temp-root';

export default createTempRoot;
