import type { CommandFactory } from "../command";
import { UserError } from "../../errors";

export const planCommand: CommandFactory = () => ({
  command: "plan",
  describe: "Show what `pulumi up` would create for a stack, offline",
  builder: (y) => y.option("stack", { type: "string", demandOption: true }),
  handler: () => {
    throw new UserError("plan is being written");
  },
});
