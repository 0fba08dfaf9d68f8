/** One thing wrong with the project: which check found it, in which file, and what. */
export interface Problem {
  check: string;
  file: string;
  message: string;
}

export const formatProblems = (problems: Problem[]) =>
  problems.map((problem) => `  [${problem.check}] ${problem.file}: ${problem.message}`).join('\n');
