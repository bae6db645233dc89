import * as path from "node:path";
import { ExitCode } from "../../exitCodes";
import { UserError } from "../../errors";
import { CommandFactory, typedCommand, withExamples } from "../command";
import { integerFlag } from "../flagTypes";
import { continuedCommand, summaryWidth, wrapLine } from "../text";

/** The Microsoft stand-in listens here, Nexxt on the next port; fixed, so the README's commands work as printed. */
export const DEMO_PORT = 47110;

export const demoCommand: CommandFactory = (ctx) =>
  typedCommand({
    builder: (yargs) =>
      withExamples(
        yargs
          .option("dir", { type: "string", default: "nexxt-demo", describe: "Where the demo's connector file and Nexxt export go (relative to the current directory)" })
          .option("port", {
            ...integerFlag("port", {
              describe: "Port of the Microsoft stand-in; Nexxt's is the next one (0: any free ports)",
              min: 0,
              max: 65534,
              what: "a port number",
              why: "(the Nexxt stand-in listens on the next one)",
              example: DEMO_PORT,
            }),
            default: DEMO_PORT,
          }),
        [
          { describe: "Start the stand-ins and print the commands to try (Ctrl-C stops them)", lines: ["$0 demo"] },
          { describe: "Elsewhere, on any free ports", lines: ["$0 demo --dir /tmp/nexxt-demo --port 0"] },
        ],
      ),
    handler: async (argv) => {
      const io = ctx.io;
      if (io.onInterrupt === undefined) throw new UserError("demo runs until Ctrl-C, and this terminal cannot deliver it.");
      // Loaded here: the stand-ins are only needed by this command.
      const { demoCommands, shownPath, startDemo } = await import("../../demo/startDemo");
      const { DEMO_USER_COUNT } = await import("../../demo/demoDirectory");
      const dir = path.resolve(io.cwd, argv.dir);
      let demo;
      try {
        demo = await startDemo({ dir, port: argv.port, now: io.now() });
      } catch (err) {
        throw new UserError(`demo could not start: ${(err as Error).message}.`);
      }
      const commands = demoCommands(demo, io.cwd);
      const width = summaryWidth({ isTerminal: io.columns !== undefined, columns: io.columns });
      io.stdout(
        [
          `Demo running on 127.0.0.1 only: Microsoft login + Graph stand-in at ${demo.microsoftUrl}, Nexxt stand-in at ${demo.nexxtUrl}.`,
          `A tenant of ${DEMO_USER_COUNT} users. Wrote ${shownPath(demo.files.connectorFile, io.cwd)} (mode 0600: it holds the demo's client secret) and ${shownPath(demo.files.nexxtUsersFile, io.cwd)}.`,
          "In another terminal, from this directory:",
        ]
          .flatMap((line) => wrapLine(line, width, 2))
          .concat(
            commands.map((command) => `  ${continuedCommand(command, width - 2, 6)}`),
            "Ctrl-C stops the demo.",
          )
          .join("\n"),
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        const stop = io.onInterrupt!((received) => {
          stop();
          resolve(received);
        });
      });
      await demo.close();
      io.stderr(`demo stopped (${signal}); the files in ${shownPath(dir, io.cwd)} stay for a look.`);
      ctx.setExitCode(ExitCode.Ok);
    },
  });
