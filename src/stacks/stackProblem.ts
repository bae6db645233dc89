/** One thing wrong in one stack file, as `validate` prints it: file, key (when one is to blame), sentence. */
export interface StackProblem {
  /** Relative to the project directory, e.g. stacks/Pulumi.acme.yaml. */
  file: string;
  /** The full config key, e.g. nexxt:tenantId; absent when the whole file is wrong. */
  key?: string;
  message: string;
}
