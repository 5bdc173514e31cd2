// Every CLI command. Each command lives in its own file and adds one line here.
import type { Command } from "../command";
import { promoteCommand } from "./promote";
import { rollbackCommand } from "./rollback";
import { simulateCommand } from "./simulate";
import { synthCommand } from "./synth";
import { validateCommand } from "./validate";

export const COMMANDS: Command[] = [
  validateCommand,
  simulateCommand,
  synthCommand,
  promoteCommand,
  rollbackCommand,
];
