/** Commander value parsers shared by the runner's commands. */
import { InvalidArgumentError } from "commander";

/** A repeatable, comma-separable flag: `--layer a --layer b,c` -> [a, b, c]. */
export const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];
export const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
};
