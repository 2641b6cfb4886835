// Config mistakes as users make them: the parser's place (file:line:column and a code frame)
// for YAML and JSON syntax errors, and "did you mean" for misspelt keys. Nothing is touched.
import { writeFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { snapshot, wl, workspace } from "./helpers/wl.mjs";

const test = suite("config errors with place and suggestions");
let ws;
test.before.each(() => {
  ws = workspace("wl-cfgerr-");
  ws.write("a/keep.txt", "a");
  ws.write("b/other.txt", "b");
});
test.after.each(() => ws.cleanup());

const sync = () => wl(ws.dir, ["container", "sync", "--one-shot", "photos"]);
const untouched = () => {
  assert.equal([...snapshot(ws.path("a")).keys()], ["keep.txt"]);
  assert.equal([...snapshot(ws.path("b")).keys()], ["other.txt"]);
};

test("a YAML indentation error names file:line:column and shows the lines with a caret", async () => {
  ws.write(".wlsyncrc", "containers:\n  photos:\n    storages:\n      - backend-id: a\n        type: local\n       path: ./a\n");
  const r = await sync();
  assert.is(r.code, 3);
  assert.ok(r.stderr.includes(`cannot parse the config ${ws.path(".wlsyncrc")}:6:8: bad indentation of a sequence entry`), r.stderr);
  assert.match(r.stderr, /> 6 \| {8}path: \.\/a\n {4}\| {8}\^/);
  assert.match(r.stderr, / 5 \| {9}type: local/);
  untouched();
});

test("a JSON syntax error (trailing comma, unclosed brace) names file:line:column with a frame", async () => {
  ws.write(".wlsyncrc.json", '{\n  "containers": {\n    "photos": {\n      "storages": [\n        {"backend-id": "a", "type": "local", "path": "./a",}\n      ]\n    }\n  }\n}\n');
  let r = await sync();
  assert.is(r.code, 3);
  assert.ok(r.stderr.includes(`${ws.path(".wlsyncrc.json")}:5:60: Expected double-quoted property name`), r.stderr);
  assert.match(r.stderr, /> 5 \| {9}\{"backend-id"/);
  ws.write(".wlsyncrc.json", '{\n  "containers": {\n    "photos": {"storages": []}\n');
  r = await sync();
  assert.is(r.code, 3);
  assert.match(r.stderr, /\.wlsyncrc\.json:4:1: /);
  untouched();
});

test("misspelt keys get did-you-mean at the top level and in a container; a key one level off says where it belongs", async () => {
  ws.write(
    ".wlsyncrc",
    [
      "state_dir: ./st",
      "containers:",
      "  photos:",
      "    ignroe: ['*.tmp']",
      "    Max_Delete: 20",
      "    plugins: {deny: [x]}",
      "    storages:",
      "      - {backend-id: a, type: local, path: ./a}",
      "      - {backend-id: b, type: local, path: ./b}",
      "",
    ].join("\n"),
  );
  const r = await sync();
  assert.is(r.code, 3);
  assert.match(r.stderr, /^ {2}state_dir: unknown property; did you mean "state-dir"\?$/m);
  assert.match(r.stderr, /containers\.photos\.ignroe: unknown property; did you mean "ignore"\?/);
  assert.match(r.stderr, /containers\.photos\.Max_Delete: unknown property; did you mean "max-delete"\?/);
  assert.match(r.stderr, /containers\.photos\.plugins: unknown property; "plugins" is an option of WlsyncConfig, not of ContainerConfig/);
  untouched();
});

test("a misspelt storage key is refused with a suggestion from the backend's own schema; a container key under a storage says where it belongs", async () => {
  ws.write(
    ".wlsyncrc",
    "containers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, path: ./a, watcher_interval: 3}\n      - {backend-id: b, type: local, path: ./b, ignore: ['cache.tmp']}\n      - {backend-id: c, type: s3, bucket: x, endpointt: 'http://127.0.0.1:1'}\n",
  );
  writeFileSync(ws.path("a", "cache.tmp"), "x");
  const r = await sync();
  assert.is(r.code, 3);
  assert.match(r.stderr, /containers\.photos\.storages\[0\]\.watcher_interval: unknown property; did you mean "watcher-interval"\?/);
  assert.match(r.stderr, /containers\.photos\.storages\[1\]\.ignore: unknown property; "ignore" is an option of ContainerConfig/);
  assert.match(r.stderr, /containers\.photos\.storages\[2\]\.endpointt: unknown property; did you mean "endpoint"\?/);
  assert.not.ok(snapshot(ws.path("b")).has("cache.tmp"));
});

test("continuous sync with a misspelt storage key: exit 3 before any daemon is started", async () => {
  ws.write(".wlsyncrc", "containers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b, watcher_interval: 3}\n");
  const r = await wl(ws.dir, ["container", "sync", "photos"]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /containers\.photos\.storages\[1\]\.watcher_interval: unknown property; did you mean "watcher-interval"\?/);
  const status = await wl(ws.dir, ["daemon", "status"]);
  assert.match(status.stdout + status.stderr, /no daemon is running/, "no daemon was started for a config it would refuse");
  untouched();
});

const YAML_CONFIG = "containers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n";
const JSON_CONFIG = JSON.stringify({ containers: { photos: { storages: [{ "backend-id": "a", type: "local", path: "./a" }, { "backend-id": "b", type: "local", path: "./b" }] } } });

test("--config takes any file name (.rc, .wlsyncrc, .conf, .txt, none) and reads it as .wlsyncrc is: JSON, else YAML", async () => {
  for (const name of ["good.rc", "photos.wlsyncrc", "wlsync.conf", "cfg.txt", "conf/wlsync", "x.yaml.bak"]) {
    for (const [kind, text] of [["YAML", YAML_CONFIG], ["JSON", JSON_CONFIG]]) {
      ws.write(name, text.replaceAll("./a", name.includes("/") ? "../a" : "./a").replaceAll("./b", name.includes("/") ? "../b" : "./b"));
      const r = await wl(ws.dir, ["--config", name, "container", "sync", "--one-shot", "photos"]);
      assert.is(r.code, 0, `${name} (${kind}): ${r.stderr}`);
      assert.equal([...snapshot(ws.path("b")).keys()].sort(), ["keep.txt", "other.txt"], `${name} (${kind})`);
      ws.cleanup();
      ws = workspace("wl-cfgerr-");
      ws.write("a/keep.txt", "a");
      ws.write("b/other.txt", "b");
    }
  }
});

test("--config with an unknown extension: a syntax error names file:line:column as for .wlsyncrc", async () => {
  ws.write("wlsync.conf", "containers:\n  photos:\n    storages:\n      - backend-id: a\n        type: local\n       path: ./a\n");
  const r = await wl(ws.dir, ["--config", "wlsync.conf", "container", "sync", "--one-shot", "photos"]);
  assert.is(r.code, 3);
  assert.ok(r.stderr.includes(`cannot parse the config ${ws.path("wlsync.conf")}:6:8: bad indentation of a sequence entry`), r.stderr);
  assert.not.match(r.stderr, /loader/i);
  untouched();
});

test("a YAML config saved as .json is read as YAML (--config and .wlsyncrc.json); broken YAML there names its place", async () => {
  ws.write("y.json", YAML_CONFIG);
  let r = await wl(ws.dir, ["--config", "y.json", "container", "sync", "--one-shot", "photos"]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(snapshot(ws.path("a")).has("other.txt"));
  ws.write("sub/.wlsyncrc.json", "containers:\n  photos:\n    storages:\n      - backend-id: a\n        type: local\n       path: ../a\n");
  r = await wl(ws.path("sub"), ["container", "sync", "--one-shot", "photos"], { state: ws.state });
  assert.is(r.code, 3);
  assert.ok(r.stderr.includes(`${ws.path("sub", ".wlsyncrc.json")}:6:8: bad indentation of a sequence entry`), r.stderr);
});

test("a misspelt REQUIRED key (type, backend-id, storages, containers, a backend's path/bucket/host) is named with its place and the right name", async () => {
  const cases = [
    ["containers:\n  photos:\n    storages:\n      - {backend-id: a, tpye: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.tpye: unknown property; did you mean "type"\?/],
    ["containers:\n  photos:\n    storages:\n      - {backendid: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.backendid: unknown property; did you mean "backend-id"\?/],
    ["containers:\n  photos:\n    storages:\n      - {backend_ID: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.backend_ID: unknown property; did you mean "backend-id"\?/],
    ["containers:\n  photos:\n    storgaes:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storgaes: unknown property; did you mean "storages"\?/],
    ["contianers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /^ {2}contianers: unknown property; did you mean "containers"\?$/m],
    ["containers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, pth: ./a}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.pth: unknown property; did you mean "path"\?/],
    ["containers:\n  photos:\n    storages:\n      - {backend-id: a, type: s3, bukcet: x}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.bukcet: unknown property; did you mean "bucket"\?/],
    ["containers:\n  photos:\n    storages:\n      - {backend-id: a, type: sftp, hsot: x, path: /x}\n      - {backend-id: b, type: local, path: ./b}\n", /containers\.photos\.storages\[0\]\.hsot: unknown property; did you mean "host"\?/],
  ];
  for (const [text, expected] of cases) {
    ws.write(".wlsyncrc", text);
    const r = await sync();
    assert.is(r.code, 3, text);
    assert.match(r.stderr, expected, r.stderr);
    // The misspelt key's line says all: no second line about the same key as "missing".
    assert.not.match(r.stderr, /missing required property/, r.stderr);
  }
  untouched();
});

test("every command that opens the storages checks their options first: check-ignore, versions, restore, check, list-conflicts name a misspelt key", async () => {
  ws.write(".wlsyncrc", "containers:\n  photos:\n    storages:\n      - {backend-id: a, type: local, pth: ./a}\n      - {backend-id: b, type: local, path: ./b}\n");
  for (const args of [["check-ignore", "photos", "x.txt"], ["versions", "photos"], ["restore", "photos", "keep.txt"], ["check", "photos"], ["list-conflicts", "photos"]]) {
    const r = await wl(ws.dir, ["container", ...args]);
    assert.is(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /containers\.photos\.storages\[0\]\.pth: unknown property; did you mean "path"\?/, `${args.join(" ")}: ${r.stderr}`);
  }
  untouched();
});

test.run();
