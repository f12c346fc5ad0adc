import * as workflows from './index';
import { WORKFLOW_TYPES, type WorkflowSignatures } from '../contracts/workflows';

// Compile time: every contracted workflow type is exported by the bundle with its signature.
const implemented: WorkflowSignatures = workflows;

test('the bundle exports every workflow type the contracts name, and no other', () => {
  expect(Object.keys(implemented).length).toBeGreaterThan(0);
  for (const type of WORKFLOW_TYPES) expect(typeof workflows[type]).toBe('function');
  const exportedFunctions = Object.entries(workflows)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k);
  expect(exportedFunctions.sort()).toEqual([...WORKFLOW_TYPES].sort());
});
