// Every CLI command. Each command lives in its own file and adds one line here.
import type { Command } from "../command";
import { driftCommand } from "./drift";
import { inferCommand } from "./infer";
import { schemaCommand } from "./schema";
import { sizeCommand } from "./size";
import { compatCommand } from "./compat";
import { promoteCommand } from "./promote";
import { reportCommand } from "./report";
import { rollbackCommand } from "./rollback";
import { schemasCommand } from "./schemas";
import { simulateCommand } from "./simulate";
import { synthCommand } from "./synth";
import { validateCommand } from "./validate";

export const COMMANDS: Command[] = [
  validateCommand,
  simulateCommand,
  synthCommand,
  promoteCommand,
  rollbackCommand,
  compatCommand,
  schemasCommand,
  reportCommand,
  driftCommand,
  inferCommand,
  sizeCommand,
  schemaCommand,
];
