/* Generated from schemas/sync-commands.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 15cc751dd4df2df034017b3e57855e6d6696dbe3cc4ae2924e9b292b4682a95c */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/sync-commands.json","title":"SyncCommand","description":"A request to the sync daemon: one JSON object per line on its Unix socket.","type":"object","required":["cmd"],"discriminator":{"propertyName":"cmd"},"oneOf":[{"title":"StartCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"start"},"args":{"title":"StartArgs","type":"object","additionalProperties":false,"required":["config","container","source","target"],"properties":{"config":{"description":"Absolute path of the config file.","type":"string","minLength":1},"state-dir":{"description":"State dir the client resolved (env WLSYNC_STATE_DIR or the config).","type":"string","minLength":1},"container":{"type":"string","minLength":1},"source":{"description":"backend-id of the source storage.","type":"string","minLength":1},"target":{"description":"backend-id of the target storage.","type":"string","minLength":1},"unidirectional":{"type":"boolean"},"syncer":{"type":"string","minLength":1},"force":{"type":"boolean"}}}}},{"title":"StopCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"stop"},"args":{"title":"StopArgs","type":"object","additionalProperties":false,"required":["config","container"],"properties":{"config":{"type":"string","minLength":1},"container":{"type":"string","minLength":1}}}}},{"title":"StopAllCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"stop-all"},"args":{"$ref":"#/definitions/noArgs"}}},{"title":"StatusCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"status"},"args":{"$ref":"#/definitions/noArgs"}}},{"title":"JobStateCommand","type":"object","additionalProperties":false,"required":["id","cmd","args"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"job-state"},"args":{"title":"JobStateArgs","type":"object","additionalProperties":false,"required":["job"],"properties":{"job":{"type":"string","minLength":1}}}}},{"title":"ActiveEventsCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"active-events"},"args":{"title":"ActiveEventsArgs","type":"object","additionalProperties":false,"properties":{"subscribe":{"description":"Receive events (state, progress, conflict, error) on this connection from now on.","type":"boolean"}}}}},{"title":"ShutdownCommand","type":"object","additionalProperties":false,"required":["id","cmd"],"properties":{"id":{"$ref":"#/definitions/requestId"},"cmd":{"const":"shutdown"},"args":{"$ref":"#/definitions/noArgs"}}}],"definitions":{"requestId":{"description":"Echoed in the reply.","type":"integer","minimum":0},"noArgs":{"type":"object","additionalProperties":false,"properties":{}}},"properties":{"cmd":{"type":"string"}}};
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
if(data14.config === undefined){
const err37 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/1/properties/args/required",keyword:"required",params:{missingProperty: "config"},message:"must have required property '"+"config"+"'"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data14.container === undefined){
const err38 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/1/properties/args/required",keyword:"required",params:{missingProperty: "container"},message:"must have required property '"+"container"+"'"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
for(const key3 in data14){
if(!((key3 === "config") || (key3 === "container"))){
const err39 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/1/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data14.config !== undefined){
let data15 = data14.config;
if(typeof data15 === "string"){
if(func2(data15) < 1){
const err40 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/1/properties/args/properties/config/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err41 = {instancePath:instancePath+"/args/config",schemaPath:"#/oneOf/1/properties/args/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data14.container !== undefined){
let data16 = data14.container;
if(typeof data16 === "string"){
if(func2(data16) < 1){
const err42 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/1/properties/args/properties/container/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err43 = {instancePath:instancePath+"/args/container",schemaPath:"#/oneOf/1/properties/args/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"};
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
let data17 = data.id;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
const err49 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if((typeof data17 == "number") && (isFinite(data17))){
if(data17 < 0 || isNaN(data17)){
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
let data19 = data.args;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key5 in data19){
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
let data20 = data.id;
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
const err58 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if((typeof data20 == "number") && (isFinite(data20))){
if(data20 < 0 || isNaN(data20)){
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
let data22 = data.args;
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
for(const key7 in data22){
const err61 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
else {
const err62 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
}
else {
const err63 = {instancePath,schemaPath:"#/oneOf/3/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else if(tag0 === "job-state"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err64 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
if(data.cmd === undefined){
const err65 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if(data.args === undefined){
const err66 = {instancePath,schemaPath:"#/oneOf/4/required",keyword:"required",params:{missingProperty: "args"},message:"must have required property '"+"args"+"'"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
for(const key8 in data){
if(!(((key8 === "id") || (key8 === "cmd")) || (key8 === "args"))){
const err67 = {instancePath,schemaPath:"#/oneOf/4/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data.id !== undefined){
let data23 = data.id;
if(!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))){
const err68 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if((typeof data23 == "number") && (isFinite(data23))){
if(data23 < 0 || isNaN(data23)){
const err69 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("job-state" !== data.cmd){
const err70 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/4/properties/cmd/const",keyword:"const",params:{allowedValue: "job-state"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data.args !== undefined){
let data25 = data.args;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
if(data25.job === undefined){
const err71 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/required",keyword:"required",params:{missingProperty: "job"},message:"must have required property '"+"job"+"'"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
for(const key9 in data25){
if(!(key9 === "job")){
const err72 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data25.job !== undefined){
let data26 = data25.job;
if(typeof data26 === "string"){
if(func2(data26) < 1){
const err73 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/4/properties/args/properties/job/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
else {
const err74 = {instancePath:instancePath+"/args/job",schemaPath:"#/oneOf/4/properties/args/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
}
else {
const err75 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/4/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
}
else {
const err76 = {instancePath,schemaPath:"#/oneOf/4/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
else if(tag0 === "active-events"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err77 = {instancePath,schemaPath:"#/oneOf/5/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if(data.cmd === undefined){
const err78 = {instancePath,schemaPath:"#/oneOf/5/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
for(const key10 in data){
if(!(((key10 === "id") || (key10 === "cmd")) || (key10 === "args"))){
const err79 = {instancePath,schemaPath:"#/oneOf/5/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data.id !== undefined){
let data27 = data.id;
if(!(((typeof data27 == "number") && (!(data27 % 1) && !isNaN(data27))) && (isFinite(data27)))){
const err80 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
if((typeof data27 == "number") && (isFinite(data27))){
if(data27 < 0 || isNaN(data27)){
const err81 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("active-events" !== data.cmd){
const err82 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/5/properties/cmd/const",keyword:"const",params:{allowedValue: "active-events"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
if(data.args !== undefined){
let data29 = data.args;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
for(const key11 in data29){
if(!(key11 === "subscribe")){
const err83 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/5/properties/args/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data29.subscribe !== undefined){
if(typeof data29.subscribe !== "boolean"){
const err84 = {instancePath:instancePath+"/args/subscribe",schemaPath:"#/oneOf/5/properties/args/properties/subscribe/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
}
else {
const err85 = {instancePath:instancePath+"/args",schemaPath:"#/oneOf/5/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
else {
const err86 = {instancePath,schemaPath:"#/oneOf/5/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
else if(tag0 === "shutdown"){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err87 = {instancePath,schemaPath:"#/oneOf/6/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
if(data.cmd === undefined){
const err88 = {instancePath,schemaPath:"#/oneOf/6/required",keyword:"required",params:{missingProperty: "cmd"},message:"must have required property '"+"cmd"+"'"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
for(const key12 in data){
if(!(((key12 === "id") || (key12 === "cmd")) || (key12 === "args"))){
const err89 = {instancePath,schemaPath:"#/oneOf/6/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data.id !== undefined){
let data31 = data.id;
if(!(((typeof data31 == "number") && (!(data31 % 1) && !isNaN(data31))) && (isFinite(data31)))){
const err90 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
if((typeof data31 == "number") && (isFinite(data31))){
if(data31 < 0 || isNaN(data31)){
const err91 = {instancePath:instancePath+"/id",schemaPath:"#/definitions/requestId/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
}
if(data.cmd !== undefined){
if("shutdown" !== data.cmd){
const err92 = {instancePath:instancePath+"/cmd",schemaPath:"#/oneOf/6/properties/cmd/const",keyword:"const",params:{allowedValue: "shutdown"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data.args !== undefined){
let data33 = data.args;
if(data33 && typeof data33 == "object" && !Array.isArray(data33)){
for(const key13 in data33){
const err93 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
else {
const err94 = {instancePath:instancePath+"/args",schemaPath:"#/definitions/noArgs/type",keyword:"type",params:{type: "object"},message:"must be object"};
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
else {
const err95 = {instancePath,schemaPath:"#/oneOf/6/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
else {
const err96 = {instancePath,schemaPath:"#/discriminator",keyword:"discriminator",params:{error: "mapping", tag: "cmd", tagValue: tag0},message:"value of tag \"cmd\" must be in oneOf"};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
else {
const err97 = {instancePath,schemaPath:"#/discriminator",keyword:"discriminator",params:{error: "tag", tag: "cmd", tagValue: tag0},message:"tag \"cmd\" must be string"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
else {
const err98 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

/** True when `data` is valid; otherwise `validate.errors` says why (ajv ErrorObjects). */
export const validate = validate10 as ((data: unknown) => data is import("./sync-commands.generated.js").SyncCommand) & { errors?: ErrorObject[] | null };
