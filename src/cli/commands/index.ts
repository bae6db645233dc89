import type { CommandFactory } from "../command";
import { planCommand } from "./plan";
import { verifyCommand } from "./verify";
import { newCustomerCommand } from "./newCustomer";
import { validateCommand } from "./validate";
import { mapUsersCommand } from "./mapUsers";
import { pushConfigCommand } from "./pushConfig";
import { secretsReportCommand } from "./secretsReport";
import { dueCommand } from "./due";
import { demoCommand } from "./demo";

/** Every subcommand of nexxt-onboard, listed explicitly (one file per command beside this one). */
export const commands: CommandFactory[] = [
  planCommand,
  verifyCommand,
  mapUsersCommand,
  newCustomerCommand,
  validateCommand,
  pushConfigCommand,
  secretsReportCommand,
  dueCommand,
  demoCommand,
];
