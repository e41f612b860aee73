/** A subcommand gets its own arguments and returns the process exit code. */
export type Command = {
  summary: string;
  run: (argv: string[]) => Promise<number>;
};
