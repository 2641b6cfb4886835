import { defineContinuous } from "./helpers/continuous-scenarios.mjs";

defineContinuous("naive").run();
