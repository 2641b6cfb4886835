/* Generated from schemas/sync-commands.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: cf189b048749ee99d97950176a77deb5874b5ad49a3f7c33ecd0dfba39efab38 */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/sync-commands.json","title":"SyncCommand","description":"A request to the sync daemon: one JSON object per line on its Unix socket.","type":"object","required":["cmd"],"discriminator":{"propertyName":"cmd"},"oneOf":[{"title":"StartCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"start"},"args":{"title":"StartArgs","type":"object","additionalProperties":false,"required":["config","container","source","target"],"properties":{"config":{"description":"Absolute path of the config file.","type":"string","minLength":1},"state-dir":{"description":"State dir the client resolved (env WLSYNC_STATE_DIR or the config).","type":"string","minLength":1},"container":{"type":"string","minLength":1},"source":{"description":"backend-id of the source storage.","type":"string","minLength":1},"target":{"description":"backend-id of the target storage.","type":"string","minLength":1},"unidirectional":{"type":"boolean"},"syncer":{"type":"string","minLength":1},"force":{"type":"boolean"}}}}},{"title":"StopCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"stop"},"args":{"title":"StopArgs","type":"object","additionalProperties":false,"required":[],"properties":{"config":{"type":"string","minLength":1},"container":{"type":"string","minLength":1},"job":{"description":"A job id as wl status shows it (container:source->target).","type":"string","minLength":1}},"description":"Which jobs: those of a container in a config file, or one job by its id (works even when its config file is gone)."}}},{"title":"StopAllCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"stop-all"},"args":{"$ref":"#/definitions/noArgs"}}},{"title":"StatusCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"status"},"args":{"title":"StatusArgs","type":"object","additionalProperties":false,"properties":{"config":{"description":"Absolute path of the config file the client found: the daemon re-reads it and restarts (or stops) the jobs it started from it whose part of it changed (or is gone).","type":"string","minLength":1}}}}},{"title":"JobStateCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"job-state"},"args":{"title":"JobStateArgs","type":"object","additionalProperties":false,"required":["job"],"properties":{"job":{"type":"string","minLength":1}}}}},{"title":"ActiveEventsCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"active-events"},"args":{"title":"ActiveEventsArgs","type":"object","additionalProperties":false,"properties":{"subscribe":{"description":"Receive events (state, progress, conflict, error) on this connection from now on.","type":"boolean"}}}}},{"title":"FlushCommand","description":"wl container sync --one-shot, answered by the daemon when it watches the pair: it makes sure its watchers have delivered every change made before the request, syncs what changed (or nothing), and replies with the pass's result; answered false (with the reason) when it cannot vouch for the pair, and the client runs the pass itself.","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"flush"},"args":{"title":"FlushArgs","type":"object","additionalProperties":false,"required":["cwd","container"],"properties":{"cwd":{"description":"The client's working directory: the daemon finds the config from there as the client would (cosmiconfig, upwards), and reads it again only when the file changed.","type":"string","minLength":1},"config":{"description":"The config file given with --config (relative to cwd), if any.","type":"string","minLength":1},"state-dir":{"description":"WLSYNC_STATE_DIR of the client, if set (it beats the config's state-dir).","type":"string","minLength":1},"container":{"type":"string","minLength":1},"source":{"description":"--source-storage as given (backend-id or type).","type":"string","minLength":1},"target":{"description":"--target-storage as given (backend-id or type).","type":"string","minLength":1},"unidirectional":{"type":"boolean"}}}}},{"title":"ResumeCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"resume"},"args":{"title":"ResumeArgs","type":"object","additionalProperties":false,"description":"Restart paused jobs: those of a container in a config file, or one job by its id.","properties":{"config":{"type":"string","minLength":1},"container":{"type":"string","minLength":1},"job":{"type":"string","minLength":1},"force":{"description":"Let the first pass after the restart through the safety gates (that pass only).","type":"boolean"}}}}},{"title":"ShutdownCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"shutdown"},"args":{"$ref":"#/definitions/noArgs"}}}],"definitions":{"requestId":{"description":"Echoed in the reply.","type":"integer","minimum":0},"noArgs":{"type":"object","additionalProperties":false,"properties":{}},"DaemonMessage":{"title":"DaemonMessage","description":"What the daemon writes on its socket, one JSON object per line: a reply to a request (matched by id) or, on a subscribed connection, an event.","oneOf":[{"$ref":"#/definitions/OkReply"},{"$ref":"#/definitions/ErrorReply"},{"$ref":"#/definitions/DaemonEvent"}]},"OkReply":{"title":"OkReply","description":"The command was carried out; `result` is the command's result (see CommandResults).","type":"object","additionalProperties":false,"required":["id","ok","result"],"properties":{"id":{"$ref":"#/definitions/replyId"},"ok":{"const":true},"result":{}}},"ErrorReply":{"title":"ErrorReply","description":"The command was refused or failed.","type":"object","additionalProperties":false,"required":["id","ok","error"],"properties":{"id":{"$ref":"#/definitions/replyId"},"ok":{"const":false},"error":{"$ref":"#/definitions/ReplyError"}}},"replyId":{"description":"The request's id; null when the request could not be read (not JSON, too long, no id).","anyOf":[{"type":"integer","minimum":0},{"type":"null"}]},"ReplyError":{"title":"ReplyError","type":"object","additionalProperties":false,"required":["code","message","exitCode"],"properties":{"code":{"type":"string","description":"E_PARSE (not JSON), E_INVALID (not a valid command), E_TOO_LARGE, E_USAGE, E_DAEMON, or the failing operation's error code."},"message":{"type":"string","description":"One line for the user."},"exitCode":{"description":"The exit code wl exits with (README, Exit codes).","type":"integer","minimum":0}}},"DaemonEvent":{"title":"DaemonEvent","description":"A job's event on a subscribed connection (active-events with subscribe).","type":"object","additionalProperties":false,"required":["event","job","data"],"properties":{"event":{"type":"string","description":"The event's type: state, progress, pass, conflict, error, stopped..."},"job":{"type":"string","description":"The job id (container:source->target)."},"data":{"description":"The event itself (its `type` is `event`)."}}},"CommandResults":{"title":"CommandResults","description":"The result of an OkReply, per command.","type":"object","additionalProperties":false,"required":["start","stop","stop-all","status","job-state","active-events","resume","shutdown","flush"],"properties":{"start":{"$ref":"#/definitions/StartResult"},"stop":{"$ref":"#/definitions/StopResult"},"stop-all":{"$ref":"#/definitions/StopResult"},"status":{"$ref":"#/definitions/StatusResult"},"job-state":{"$ref":"#/definitions/JobStatus"},"active-events":{"$ref":"#/definitions/ActiveEventsResult"},"resume":{"$ref":"#/definitions/ResumeResult"},"shutdown":{"$ref":"#/definitions/ShutdownResult"},"flush":{"$ref":"#/definitions/FlushResult"}}},"StartResult":{"title":"StartResult","description":"A job started (`result`: its initial pass), or found running already (no `result`).","type":"object","required":["job","alreadyRunning","status"],"properties":{"job":{"type":"string"},"alreadyRunning":{"type":"boolean"},"warnings":{"type":"array","items":{"type":"string"},"description":"About the start (storages, syncer choice)."},"result":{"$ref":"#/definitions/PassSummary"},"status":{"$ref":"#/definitions/JobStatus"}}},"StopResult":{"title":"StopResult","type":"object","required":["stopped"],"properties":{"stopped":{"type":"array","items":{"type":"string"},"description":"Ids of the jobs stopped."}}},"ShutdownResult":{"title":"ShutdownResult","type":"object","required":["stopping"],"properties":{"stopping":{"type":"array","items":{"type":"string"},"description":"Ids of the jobs the daemon stops before it exits."}}},"ResumeResult":{"title":"ResumeResult","type":"object","required":["resumed"],"properties":{"resumed":{"type":"array","items":{"title":"ResumedJob","type":"object","required":["job"],"properties":{"job":{"type":"string"},"result":{"$ref":"#/definitions/PassSummary"},"error":{"type":"string","description":"Why the restart failed (the job stays paused)."}}}}}},"FlushResult":{"title":"FlushResult","description":"The daemon's answer to `flush` (`wl container sync --one-shot` for a pair it watches): answered with the pass's result, or not answered with the reason (the client then runs the pass itself).","type":"object","required":["answered"],"properties":{"answered":{"type":"boolean"},"reason":{"type":"string","description":"Why the daemon did not answer (answered: false)."},"result":{"$ref":"#/definitions/PassSummary"},"applied":{"type":"array","items":{"type":"object"},"tsType":"AppliedChange[]","description":"The changes the daemon's passes made for this answer, for -v and --json."},"job":{"type":"string","description":"The id of the job that answered."},"restarted":{"type":"boolean","description":"The job was restarted on a changed config first; its initial pass is part of the result."}}},"StatusResult":{"title":"StatusResult","description":"The daemon and its jobs.","type":"object","required":["pid","socket","startedAt","jobs"],"properties":{"pid":{"type":"integer"},"socket":{"type":"string"},"startedAt":{"type":"string","description":"ISO time."},"notes":{"type":"array","items":{"type":"string"},"description":"What the daemon did after re-reading the client's config (jobs restarted or stopped)."},"jobs":{"type":"array","items":{"$ref":"#/definitions/JobStatus"}}}},"ActiveEventsResult":{"title":"ActiveEventsResult","type":"object","required":["subscribed","active"],"properties":{"subscribed":{"type":"boolean"},"active":{"type":"array","items":{"title":"ActiveJob","type":"object","required":["job","state","current"],"properties":{"job":{"type":"string"},"state":{"type":"string"},"current":{"type":["string","null"]}}}}}},"PauseInfo":{"title":"PauseInfo","description":"Why a job does not sync, and how to release it.","type":"object","required":["kind","reason","since","release"],"properties":{"kind":{"enum":["gate","storage","identity"]},"reason":{"type":"string"},"since":{"type":"string","description":"ISO time."},"release":{"type":"array","items":{"type":"string"},"description":"Commands that release the pause."}}},"PassSummary":{"title":"PassSummary","description":"A pass's result for the wire (the plugin API's SyncResult with the plan's actions and conflicts counted, not listed). Counters, conflicts and errors have the plugin API's types.","type":"object","required":["source","target","syncer","direction","dryRun","plan","counters","conflicts","errors","warnings","durationMs"],"properties":{"source":{"type":"string"},"target":{"type":"string"},"syncer":{"type":"string"},"direction":{"enum":["two-way","one-way"]},"dryRun":{"type":"boolean"},"plan":{"type":"object","additionalProperties":false,"required":["actions","conflicts"],"properties":{"actions":{"type":"integer","minimum":0},"conflicts":{"type":"integer","minimum":0}}},"counters":{"type":"object","tsType":"SyncCounters"},"conflicts":{"type":"array","items":{"type":"object"},"tsType":"Conflict[]"},"errors":{"type":"array","items":{"type":"object"},"tsType":"ItemError[]"},"warnings":{"type":"array","items":{"type":"string"}},"durationMs":{"type":"number","description":"Milliseconds."},"resolved":{"type":"array","items":{"type":"object"},"tsType":"ResolvedConflict[]","description":"Conflicts the pass settled by a policy."}}},"JobStatus":{"title":"JobStatus","description":"A continuous job as the daemon sees it.","type":"object","required":["id","container","config","source","target","direction","syncer","state","current","passes","counters","conflicts","errors","lastError","startedAt","lastPassAt","lastCleanPassAt","queued","paused","notes","watchers"],"properties":{"id":{"type":"string","description":"container:source->target."},"container":{"type":"string"},"config":{"type":"string","description":"Absolute path of the config file."},"source":{"type":"string"},"target":{"type":"string"},"direction":{"enum":["two-way","one-way"]},"syncer":{"type":"string"},"state":{"type":"string","description":"starting, syncing, idle, paused, waiting, error, stopped..."},"current":{"description":"The item being transferred right now, if any.","type":["string","null"]},"passes":{"type":"integer","minimum":0},"counters":{"type":"object","tsType":"SyncCounters"},"conflicts":{"type":"array","items":{"type":"object"},"tsType":"Conflict[]"},"errors":{"type":"array","items":{"type":"object"},"tsType":"ItemError[]","description":"Current item errors, one per path, until a pass gets the path through (failed items are retried with a backoff)."},"lastError":{"type":["string","null"]},"startedAt":{"type":"string","description":"ISO time."},"lastPassAt":{"description":"When the last pass finished (ISO time).","type":["string","null"]},"lastCleanPassAt":{"description":"When the last pass without item errors finished (ISO time).","type":["string","null"]},"queued":{"description":"Changes reported and not yet synced, plus failed items waiting for their retry.","type":"integer","minimum":0},"paused":{"description":"Set while the job does not sync.","anyOf":[{"$ref":"#/definitions/PauseInfo"},{"type":"null"}]},"notes":{"type":"array","items":{"type":"string"},"description":"What the daemon did to the job on its own (restarted on a config change...), newest last."},"watchers":{"description":"Which watcher serves each side (kernel events or polling).","type":"object","required":["source","target"],"properties":{"source":{"type":"string"},"target":{"type":"string"}}}}}},"properties":{"cmd":{"type":"string"}}};
const schema12 = {"description":"Echoed in the reply.","type":"integer","minimum":0};
const schema15 = {"type":"object","additionalProperties":false,"properties":{}};
const func2 = require("ajv/dist/runtime/ucs2length").default;

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://wlsync.dev/schemas/sync-commands.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.cmd === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.cmd !== undefined){
if(typeof data.cmd !== "string"){
const err1 = {instancePath:instancePath+"/cmd",schemaPath:"#/properties/cmd/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
const tag0 = data.cmd;
if(typeof tag0 == "string"){
if(tag0 === "start"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err2 = {instancePath,schemaPath:"#/oneOf/0/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.cmd === undefined){
const err3 = {instancePath,schemaPath:"#/oneOf/0/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.args === undefined){
const err4 = {instancePath,schemaPath:"#/oneOf/0/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key0 in data){
if(!(((key0 === "id") || (key0 === "cmd")) || (key0 === "args"))){
const err5 = {instancePath,schemaPath:"#/oneOf/0/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.id !== undefined){
let data1 = data.id;
if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){
const err6 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 < 0 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("start" !== data.cmd){
const err8 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/0/properties/cmd/const",keyword:"const",params:{allowedValue: "start"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.args !== undefined){
let data3 = data.args;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.config === undefined){
const err9 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/required",keyword:"required",params:{missingProperty: "config"},message:"must have required property '"+"config"+"'"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data3.container === undefined){
const err10 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/required",keyword:"required",params:{missingProperty: "container"},message:"must have required property '"+"container"+"'"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data3.source === undefined){
const err11 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/required",keyword:"required",params:{missingProperty: "source"},message:"must have required property '"+"source"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data3.target === undefined){
const err12 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/required",keyword:"required",params:{missingProperty: "target"},message:"must have required property '"+"target"+"'"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
for(const key1 in data3){
if(!((((((((key1 === "config") || (key1 === "state-dir")) || (key1 === "container")) || (key1 === "source")) || (key1 === "target")) || (key1 === "unidirectional")) || (key1 === "syncer")) || (key1 === "force"))){
const err13 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data3.config !== undefined){
let data4 = data3.config;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err14 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/0/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/0/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data3["state-dir"] !== undefined){
let data5 = data3["state-dir"];
if(typeof data5 === "string"){
if(func2(data5) < 1){
const err16 = {instancePath:instancePath+"/args/state-dir",schemaPath:"#/oneOf/0/properties/args/properties/state-dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/args/state-dir",schemaPath:"#/oneOf/0/properties/args/properties/state-dir/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data3.container !== undefined){
let data6 = data3.container;
if(typeof data6 === "string"){
if(func2(data6) < 1){
const err18 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/0/properties/args/properties/container/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
else {
const err19 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/0/properties/args/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data3.source !== undefined){
let data7 = data3.source;
if(typeof data7 === "string"){
if(func2(data7) < 1){
const err20 = {instancePath:instancePath+"/args/source",schemaPath:"#/oneOf/0/properties/args/properties/source/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
else {
const err21 = {instancePath:instancePath+"/args/source",schemaPath:"#/oneOf/0/properties/args/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data3.target !== undefined){
let data8 = data3.target;
if(typeof data8 === "string"){
if(func2(data8) < 1){
const err22 = {instancePath:instancePath+"/args/target",schemaPath:"#/oneOf/0/properties/args/properties/target/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/args/target",schemaPath:"#/oneOf/0/properties/args/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data3.unidirectional !== undefined){
if(typeof data3.unidirectional !== "boolean"){
const err24 = {instancePath:instancePath+"/args/unidirectional",schemaPath:"#/oneOf/0/properties/args/properties/unidirectional/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data3.syncer !== undefined){
let data10 = data3.syncer;
if(typeof data10 === "string"){
if(func2(data10) < 1){
const err25 = {instancePath:instancePath+"/args/syncer",schemaPath:"#/oneOf/0/properties/args/properties/syncer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/args/syncer",schemaPath:"#/oneOf/0/properties/args/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data3.force !== undefined){
if(typeof data3.force !== "boolean"){
const err27 = {instancePath:instancePath+"/args/force",schemaPath:"#/oneOf/0/properties/args/properties/force/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/0/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath,schemaPath:"#/oneOf/0/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else if(tag0 === "stop"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err30 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(data.cmd === undefined){
const err31 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
if(data.args === undefined){
const err32 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
for(const key2 in data){
if(!(((key2 === "id") || (key2 === "cmd")) || (key2 === "args"))){
const err33 = {instancePath,schemaPath:"#/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.id !== undefined){
let data12 = data.id;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
const err34 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 < 0 || isNaN(data12)){
const err35 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("stop" !== data.cmd){
const err36 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/1/properties/cmd/const",keyword:"const",params:{allowedValue: "stop"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data.args !== undefined){
let data14 = data.args;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key3 in data14){
if(!(((key3 === "config") || (key3 === "container")) || (key3 === "job"))){
const err37 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/1/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data14.config !== undefined){
let data15 = data14.config;
if(typeof data15 === "string"){
if(func2(data15) < 1){
const err38 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/1/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
else {
const err39 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/1/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data14.container !== undefined){
let data16 = data14.container;
if(typeof data16 === "string"){
if(func2(data16) < 1){
const err40 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/1/properties/args/properties/container/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/1/properties/args/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data14.job !== undefined){
let data17 = data14.job;
if(typeof data17 === "string"){
if(func2(data17) < 1){
const err42 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/1/properties/args/properties/job/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/1/properties/args/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
else {
const err44 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/1/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
}
else {
const err45 = {instancePath,schemaPath:"#/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
else if(tag0 === "stop-all"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err46 = {instancePath,schemaPath:"#/oneOf/2/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if(data.cmd === undefined){
const err47 = {instancePath,schemaPath:"#/oneOf/2/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
for(const key4 in data){
if(!(((key4 === "id") || (key4 === "cmd")) || (key4 === "args"))){
const err48 = {instancePath,schemaPath:"#/oneOf/2/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data.id !== undefined){
let data18 = data.id;
if(!(((typeof data18 == "number") && (!(data18 % 1) && !isNaN(data18))) && (isFinite(data18)))){
const err49 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if((typeof data18 == "number") && (isFinite(data18))){
if(data18 < 0 || isNaN(data18)){
const err50 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("stop-all" !== data.cmd){
const err51 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/2/properties/cmd/const",keyword:"const",params:{allowedValue: "stop-all"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data.args !== undefined){
let data20 = data.args;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key5 in data20){
const err52 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
else {
const err54 = {instancePath,schemaPath:"#/oneOf/2/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
else if(tag0 === "status"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err55 = {instancePath,schemaPath:"#/oneOf/3/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
if(data.cmd === undefined){
const err56 = {instancePath,schemaPath:"#/oneOf/3/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
for(const key6 in data){
if(!(((key6 === "id") || (key6 === "cmd")) || (key6 === "args"))){
const err57 = {instancePath,schemaPath:"#/oneOf/3/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
if(data.id !== undefined){
let data21 = data.id;
if(!(((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21))) && (isFinite(data21)))){
const err58 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if((typeof data21 == "number") && (isFinite(data21))){
if(data21 < 0 || isNaN(data21)){
const err59 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("status" !== data.cmd){
const err60 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/3/properties/cmd/const",keyword:"const",params:{allowedValue: "status"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data.args !== undefined){
let data23 = data.args;
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
for(const key7 in data23){
if(!(key7 === "config")){
const err61 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/3/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data23.config !== undefined){
let data24 = data23.config;
if(typeof data24 === "string"){
if(func2(data24) < 1){
const err62 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/3/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
else {
const err63 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/3/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
}
else {
const err64 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/3/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
else {
const err65 = {instancePath,schemaPath:"#/oneOf/3/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else if(tag0 === "job-state"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err66 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(data.cmd === undefined){
const err67 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if(data.args === undefined){
const err68 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
for(const key8 in data){
if(!(((key8 === "id") || (key8 === "cmd")) || (key8 === "args"))){
const err69 = {instancePath,schemaPath:"#/oneOf/4/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data.id !== undefined){
let data25 = data.id;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
const err70 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
if((typeof data25 == "number") && (isFinite(data25))){
if(data25 < 0 || isNaN(data25)){
const err71 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("job-state" !== data.cmd){
const err72 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/4/properties/cmd/const",keyword:"const",params:{allowedValue: "job-state"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data.args !== undefined){
let data27 = data.args;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.job === undefined){
const err73 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/required",keyword:"required",params:{missingProperty: "job"},message:"must have required property '"+"job"+"'"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
for(const key9 in data27){
if(!(key9 === "job")){
const err74 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data27.job !== undefined){
let data28 = data27.job;
if(typeof data28 === "string"){
if(func2(data28) < 1){
const err75 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/4/properties/args/properties/job/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
else {
const err76 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/4/properties/args/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
}
else {
const err78 = {instancePath,schemaPath:"#/oneOf/4/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
else if(tag0 === "active-events"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err79 = {instancePath,schemaPath:"#/oneOf/5/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
if(data.cmd === undefined){
const err80 = {instancePath,schemaPath:"#/oneOf/5/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
for(const key10 in data){
if(!(((key10 === "id") || (key10 === "cmd")) || (key10 === "args"))){
const err81 = {instancePath,schemaPath:"#/oneOf/5/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
if(data.id !== undefined){
let data29 = data.id;
if(!(((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29))) && (isFinite(data29)))){
const err82 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if((typeof data29 == "number") && (isFinite(data29))){
if(data29 < 0 || isNaN(data29)){
const err83 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("active-events" !== data.cmd){
const err84 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/5/properties/cmd/const",keyword:"const",params:{allowedValue: "active-events"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data.args !== undefined){
let data31 = data.args;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
for(const key11 in data31){
if(!(key11 === "subscribe")){
const err85 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/5/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
if(data31.subscribe !== undefined){
if(typeof data31.subscribe !== "boolean"){
const err86 = {instancePath:instancePath+"/args/subscribe",schemaPath:"#/oneOf/5/properties/args/properties/subscribe/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
else {
const err87 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/5/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
}
else {
const err88 = {instancePath,schemaPath:"#/oneOf/5/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
else if(tag0 === "flush"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err89 = {instancePath,schemaPath:"#/oneOf/6/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
if(data.cmd === undefined){
const err90 = {instancePath,schemaPath:"#/oneOf/6/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
if(data.args === undefined){
const err91 = {instancePath,schemaPath:"#/oneOf/6/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
for(const key12 in data){
if(!(((key12 === "id") || (key12 === "cmd")) || (key12 === "args"))){
const err92 = {instancePath,schemaPath:"#/oneOf/6/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data.id !== undefined){
let data33 = data.id;
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
const err93 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 < 0 || isNaN(data33)){
const err94 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("flush" !== data.cmd){
const err95 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/6/properties/cmd/const",keyword:"const",params:{allowedValue: "flush"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data.args !== undefined){
let data35 = data.args;
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
if(data35.cwd === undefined){
const err96 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/6/properties/args/required",keyword:"required",params:{missingProperty: "cwd"},message:"must have required property '"+"cwd"+"'"};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
if(data35.container === undefined){
const err97 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/6/properties/args/required",keyword:"required",params:{missingProperty: "container"},message:"must have required property '"+"container"+"'"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
for(const key13 in data35){
if(!(((((((key13 === "cwd") || (key13 === "config")) || (key13 === "state-dir")) || (key13 === "container")) || (key13 === "source")) || (key13 === "target")) || (key13 === "unidirectional"))){
const err98 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/6/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data35.cwd !== undefined){
let data36 = data35.cwd;
if(typeof data36 === "string"){
if(func2(data36) < 1){
const err99 = {instancePath:instancePath+"/args/cwd",schemaPath:"#/oneOf/6/properties/args/properties/cwd/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
else {
const err100 = {instancePath:instancePath+"/args/cwd",schemaPath:"#/oneOf/6/properties/args/properties/cwd/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
if(data35.config !== undefined){
let data37 = data35.config;
if(typeof data37 === "string"){
if(func2(data37) < 1){
const err101 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/6/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
else {
const err102 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/6/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
if(data35["state-dir"] !== undefined){
let data38 = data35["state-dir"];
if(typeof data38 === "string"){
if(func2(data38) < 1){
const err103 = {instancePath:instancePath+"/args/state-dir",schemaPath:"#/oneOf/6/properties/args/properties/state-dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
else {
const err104 = {instancePath:instancePath+"/args/state-dir",schemaPath:"#/oneOf/6/properties/args/properties/state-dir/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
if(data35.container !== undefined){
let data39 = data35.container;
if(typeof data39 === "string"){
if(func2(data39) < 1){
const err105 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/6/properties/args/properties/container/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
else {
const err106 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/6/properties/args/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data35.source !== undefined){
let data40 = data35.source;
if(typeof data40 === "string"){
if(func2(data40) < 1){
const err107 = {instancePath:instancePath+"/args/source",schemaPath:"#/oneOf/6/properties/args/properties/source/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
else {
const err108 = {instancePath:instancePath+"/args/source",schemaPath:"#/oneOf/6/properties/args/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
}
if(data35.target !== undefined){
let data41 = data35.target;
if(typeof data41 === "string"){
if(func2(data41) < 1){
const err109 = {instancePath:instancePath+"/args/target",schemaPath:"#/oneOf/6/properties/args/properties/target/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
else {
const err110 = {instancePath:instancePath+"/args/target",schemaPath:"#/oneOf/6/properties/args/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
if(data35.unidirectional !== undefined){
if(typeof data35.unidirectional !== "boolean"){
const err111 = {instancePath:instancePath+"/args/unidirectional",schemaPath:"#/oneOf/6/properties/args/properties/unidirectional/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
}
else {
const err112 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/6/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
}
}
else {
const err113 = {instancePath,schemaPath:"#/oneOf/6/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
else if(tag0 === "resume"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err114 = {instancePath,schemaPath:"#/oneOf/7/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
if(data.cmd === undefined){
const err115 = {instancePath,schemaPath:"#/oneOf/7/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
if(data.args === undefined){
const err116 = {instancePath,schemaPath:"#/oneOf/7/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
for(const key14 in data){
if(!(((key14 === "id") || (key14 === "cmd")) || (key14 === "args"))){
const err117 = {instancePath,schemaPath:"#/oneOf/7/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
}
if(data.id !== undefined){
let data43 = data.id;
if(!(((typeof data43 == "number") && (!(data43 % 1) && !isNaN(data43))) && (isFinite(data43)))){
const err118 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
if((typeof data43 == "number") && (isFinite(data43))){
if(data43 < 0 || isNaN(data43)){
const err119 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("resume" !== data.cmd){
const err120 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/7/properties/cmd/const",keyword:"const",params:{allowedValue: "resume"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
}
if(data.args !== undefined){
let data45 = data.args;
if(data45 && typeof data45 == "object" && !Array.isArray(data45)){
for(const key15 in data45){
if(!((((key15 === "config") || (key15 === "container")) || (key15 === "job")) || (key15 === "force"))){
const err121 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/7/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
}
if(data45.config !== undefined){
let data46 = data45.config;
if(typeof data46 === "string"){
if(func2(data46) < 1){
const err122 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/7/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
else {
const err123 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/7/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
}
if(data45.container !== undefined){
let data47 = data45.container;
if(typeof data47 === "string"){
if(func2(data47) < 1){
const err124 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/7/properties/args/properties/container/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
else {
const err125 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/7/properties/args/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
}
if(data45.job !== undefined){
let data48 = data45.job;
if(typeof data48 === "string"){
if(func2(data48) < 1){
const err126 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/7/properties/args/properties/job/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
}
else {
const err127 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/7/properties/args/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
}
if(data45.force !== undefined){
if(typeof data45.force !== "boolean"){
const err128 = {instancePath:instancePath+"/args/force",schemaPath:"#/oneOf/7/properties/args/properties/force/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
}
}
else {
const err129 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/7/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
}
}
else {
const err130 = {instancePath,schemaPath:"#/oneOf/7/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
}
else if(tag0 === "shutdown"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err131 = {instancePath,schemaPath:"#/oneOf/8/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
if(data.cmd === undefined){
const err132 = {instancePath,schemaPath:"#/oneOf/8/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
for(const key16 in data){
if(!(((key16 === "id") || (key16 === "cmd")) || (key16 === "args"))){
const err133 = {instancePath,schemaPath:"#/oneOf/8/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key16},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
}
if(data.id !== undefined){
let data50 = data.id;
if(!(((typeof data50 == "number") && (!(data50 % 1) && !isNaN(data50))) && (isFinite(data50)))){
const err134 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
if((typeof data50 == "number") && (isFinite(data50))){
if(data50 < 0 || isNaN(data50)){
const err135 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("shutdown" !== data.cmd){
const err136 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/8/properties/cmd/const",keyword:"const",params:{allowedValue: "shutdown"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
}
if(data.args !== undefined){
let data52 = data.args;
if(data52 && typeof data52 == "object" && !Array.isArray(data52)){
for(const key17 in data52){
const err137 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key17},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
}
else {
const err138 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
}
}
else {
const err139 = {instancePath,schemaPath:"#/oneOf/8/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
}
else {
const err140 = {instancePath,schemaPath:"#/discriminator",keyword:"discriminator",params:{error: "mapping", tag: "cmd", tagValue: tag0},message:"value of tag \"cmd\" must be in oneOf"};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
}
else {
const err141 = {instancePath,schemaPath:"#/discriminator",keyword:"discriminator",params:{error: "tag", tag: "cmd", tagValue: tag0},message:"tag \"cmd\" must be string"};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
}
else {
const err142 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

/** True when `data` is valid; otherwise `validate.errors` says why (ajv ErrorObjects). */
export const validate = validate10 as ((data: unknown) => data is import("./sync-commands.generated.js").SyncCommand) & { errors?: ErrorObject[] | null };
