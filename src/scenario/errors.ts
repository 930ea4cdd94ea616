// The error of every bad scenario: one line naming the field, said by the CLI with exit code 2.
import { InputError } from '../common/input.ts';

export class ScenarioError extends InputError {}
