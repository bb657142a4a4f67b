import { API_CASES } from './api-cases.js';
import type { MatrixCase } from './case-kit.js';
import { TRANSFER_CASES } from './transfer-cases.js';

export { type Expected, type MatrixCase, messagePattern, type Phase } from './case-kit.js';

/** Every fault the matrix runs, phase by phase: docs/RELIABILITY.md's table is written from these. */
export const CASES: MatrixCase[] = [...API_CASES, ...TRANSFER_CASES];
