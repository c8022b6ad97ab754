// Placeholder of the CDK branch (issue 12): the ENGINE engineer's handler replaces this file at merge.
export async function handler(): Promise<never> {
  throw new Error('replaced at merge');
}
