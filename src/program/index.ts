// The Pulumi program (Pulumi.yaml `main`): `pulumi up --stack <customer>` runs this.
import { nexxtProgram } from "./program";

export = nexxtProgram({ now: new Date() });
