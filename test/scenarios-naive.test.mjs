import { defineScenarios } from "./helpers/scenarios.mjs";

defineScenarios("naive").run();
