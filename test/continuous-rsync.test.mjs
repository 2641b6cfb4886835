import { defineContinuous } from "./helpers/continuous-scenarios.mjs";

defineContinuous("rsync").run();
