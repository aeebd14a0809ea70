// Starts the files that take longest (they wait on builds, browsers and child processes) before the rest,
// so that on a clean clone, with no timing cache yet, they do not start last and stretch the run.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONG_FIRST = [
  'test/package/',
  'test/spec/typecheck',
  'test/docs/',
  'test/contract/agreement',
  'test/contract/app-auth',
];
const rank = (spec: TestSpecification) => {
  const index = LONG_FIRST.findIndex((prefix) => spec.moduleId.includes(prefix));
  return index === -1 ? LONG_FIRST.length : index;
};

export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
