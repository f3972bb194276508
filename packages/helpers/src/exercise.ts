// Exercises: each package's exercises/<nn-name>/ holds TASK.md, the starter file(s) a student
// edits, a solution/ folder with the reference answer, and a test. The test imports whichever
// implementation this says: the reference solution in `pnpm test` (so an exercise can never rot
// unnoticed), the student's file under `pnpm --filter <pattern> exercise` (EXERCISE=student).

/** URL of the implementation an exercise test should check, for `import()`. */
export function exerciseModule(testFileUrl: string, file: string): string {
  const checkingStudent = process.env.EXERCISE === "student";
  return new URL(checkingStudent ? file : `solution/${file}`, testFileUrl).href;
}

/** Says in the test title whose work is being checked. */
export function exerciseSubject(): string {
  return process.env.EXERCISE === "student" ? "your solution" : "the reference solution";
}
