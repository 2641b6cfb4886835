// Loader hooks (node:module register) that append the URL of every ES module loaded to the file
// named by WLSYNC_TEST_MODULE_LOG. Used by module-log.mjs.
import { appendFileSync } from "node:fs";

export async function load(url, context, next) {
  const result = await next(url, context);
  appendFileSync(process.env.WLSYNC_TEST_MODULE_LOG, `${url}\n`);
  return result;
}
