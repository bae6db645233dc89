// The partner stack's program (partner/Pulumi.yaml runs partner/index.js, which loads this).
import { partnerProgram } from "./partnerProgram";

export = partnerProgram();
