import { defineScenarios } from "./helpers/scenarios.mjs";

defineScenarios("rsync").run();
