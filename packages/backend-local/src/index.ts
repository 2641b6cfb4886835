export { LocalBackend as default, LocalBackend } from "./local-backend.js";
