// A concurrent writer for race tests, in its own process so it keeps writing whatever the test
// process does: `node writer.mjs append FILE` appends 4 KB every millisecond; `rewrite FILE`
// overwrites 4 KB blocks in place at random offsets (the size never changes). It prints "ready"
// after its first write and runs until it is killed.
import { openSync, writeSync, fstatSync } from "node:fs";
import { randomBytes } from "node:crypto";

const [mode, file] = process.argv.slice(2);
const fd = openSync(file, mode === "append" ? "a" : "r+");
const size = fstatSync(fd).size;
let first = true;
const tick = () => {
  const block = randomBytes(4096);
  if (mode === "append") writeSync(fd, block);
  else writeSync(fd, block, 0, block.length, Math.floor(Math.random() * Math.max(1, size - block.length)));
  if (first) {
    first = false;
    process.stdout.write("ready\n");
  }
  setTimeout(tick, 1);
};
tick();
