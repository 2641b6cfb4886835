/* Generated from schemas/wlsyncrc.schema.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: be5f391d34a6f6920b41428fe6353748e8c16b0e8cf68789e5997c8ba2145800 */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/wlsyncrc.schema.json","title":"WlsyncConfig","description":"The .wlsyncrc file: containers of storages that should hold the same files.","type":"object","additionalProperties":false,"required":["containers"],"properties":{"syncer":{"description":"Force a syncer by its SYNCER_NAME for every container (--syncer wins).","type":"string","minLength":1},"state-dir":{"description":"Where the state store lives (env WLSYNC_STATE_DIR wins). Default: $XDG_STATE_HOME/wlsync or ~/.local/state/wlsync.","type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"plugins":{"description":"Which plugin packages may be loaded, by package name.","type":"object","additionalProperties":false,"properties":{"allow":{"type":"array","items":{"type":"string","minLength":1}},"deny":{"type":"array","items":{"type":"string","minLength":1}}}},"containers":{"description":"Named containers.","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"additionalProperties":{"$ref":"#/definitions/container"}}},"definitions":{"maxDelete":{"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100},"container":{"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns; a .wlsyncignore file at a storage root adds more.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"versions":{"$ref":"#/definitions/storage/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}},"storage":{"title":"StorageConfig","description":"One storage. Only the keys every backend has are checked here; the others are the backend's options, checked against the backend's own schema (its OPTIONS_SCHEMA) when the container is used.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}},"conflictResolve":{"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"}}};
const schema12 = {"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100};
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");
const schema13 = {"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns; a .wlsyncignore file at a storage root adds more.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"versions":{"$ref":"#/definitions/storage/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}};
const schema14 = {"title":"StorageConfig","description":"One storage. Only the keys every backend has are checked here; the others are the backend's options, checked against the backend's own schema (its OPTIONS_SCHEMA) when the container is used.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}};
const schema16 = {"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}};
const schema17 = {"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"};
const pattern2 = new RegExp("^(off|[1-9][0-9]*[smhdw])$", "u");
const pattern4 = new RegExp("^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$", "u");

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.storages === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "storages"},message:"must have required property '"+"storages"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((((key0 === "storages") || (key0 === "ignore")) || (key0 === "syncer")) || (key0 === "max-delete")) || (key0 === "versions")) || (key0 === "conflict-resolve"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.storages !== undefined){
let data0 = data.storages;
if(Array.isArray(data0)){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/storages",schemaPath:"#/properties/storages/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
if(data1["backend-id"] === undefined){
const err3 = {instancePath:instancePath+"/storages/" + i0,schemaPath:"#/definitions/storage/required",keyword:"required",params:{missingProperty: "backend-id"},message:"must have required property '"+"backend-id"+"'"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data1.type === undefined){
const err4 = {instancePath:instancePath+"/storages/" + i0,schemaPath:"#/definitions/storage/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data1["backend-id"] !== undefined){
let data2 = data1["backend-id"];
if(typeof data2 === "string"){
if(!pattern0.test(data2)){
const err5 = {instancePath:instancePath+"/storages/" + i0+"/backend-id",schemaPath:"#/definitions/storage/properties/backend-id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\""};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/storages/" + i0+"/backend-id",schemaPath:"#/definitions/storage/properties/backend-id/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data1.type !== undefined){
let data3 = data1.type;
if(typeof data3 === "string"){
if(func2(data3) < 1){
const err7 = {instancePath:instancePath+"/storages/" + i0+"/type",schemaPath:"#/definitions/storage/properties/type/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/storages/" + i0+"/type",schemaPath:"#/definitions/storage/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data1["watcher-interval"] !== undefined){
let data4 = data1["watcher-interval"];
if((typeof data4 == "number") && (isFinite(data4))){
if(data4 <= 0 || isNaN(data4)){
const err9 = {instancePath:instancePath+"/storages/" + i0+"/watcher-interval",schemaPath:"#/definitions/storage/properties/watcher-interval/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/storages/" + i0+"/watcher-interval",schemaPath:"#/definitions/storage/properties/watcher-interval/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data1.versions !== undefined){
let data5 = data1.versions;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.keep === undefined){
const err11 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
for(const key1 in data5){
if(!(key1 === "keep")){
const err12 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data5.keep !== undefined){
let data6 = data5.keep;
const _errs18 = errors;
let valid6 = false;
let passing0 = null;
const _errs19 = errors;
if(typeof data6 === "string"){
if(!pattern2.test(data6)){
const err13 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
var _valid0 = _errs19 === errors;
if(_valid0){
valid6 = true;
passing0 = 0;
}
const _errs21 = errors;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
const err15 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 < 1 || isNaN(data6)){
const err16 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
var _valid0 = _errs21 === errors;
if(_valid0 && valid6){
valid6 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid6 = true;
passing0 = 1;
}
}
if(!valid6){
const err17 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
else {
errors = _errs18;
if(vErrors !== null){
if(_errs18){
vErrors.length = _errs18;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err18 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/storages/" + i0,schemaPath:"#/definitions/storage/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath:instancePath+"/storages",schemaPath:"#/properties/storages/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.ignore !== undefined){
let data7 = data.ignore;
if(Array.isArray(data7)){
const len1 = data7.length;
for(let i1=0; i1<len1; i1++){
if(typeof data7[i1] !== "string"){
const err21 = {instancePath:instancePath+"/ignore/" + i1,schemaPath:"#/properties/ignore/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.syncer !== undefined){
let data9 = data.syncer;
if(typeof data9 === "string"){
if(func2(data9) < 1){
const err23 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data["max-delete"] !== undefined){
let data10 = data["max-delete"];
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 100 || isNaN(data10)){
const err25 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(data10 < 0 || isNaN(data10)){
const err26 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
else {
const err27 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data.versions !== undefined){
let data11 = data.versions;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
if(data11.keep === undefined){
const err28 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
for(const key2 in data11){
if(!(key2 === "keep")){
const err29 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data11.keep !== undefined){
let data12 = data11.keep;
const _errs37 = errors;
let valid12 = false;
let passing1 = null;
const _errs38 = errors;
if(typeof data12 === "string"){
if(!pattern2.test(data12)){
const err30 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
var _valid1 = _errs38 === errors;
if(_valid1){
valid12 = true;
passing1 = 0;
}
const _errs40 = errors;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
const err32 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 < 1 || isNaN(data12)){
const err33 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
var _valid1 = _errs40 === errors;
if(_valid1 && valid12){
valid12 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid12 = true;
passing1 = 1;
}
}
if(!valid12){
const err34 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
else {
errors = _errs37;
if(vErrors !== null){
if(_errs37){
vErrors.length = _errs37;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err35 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data["conflict-resolve"] !== undefined){
let data13 = data["conflict-resolve"];
if(typeof data13 === "string"){
if(!pattern4.test(data13)){
const err36 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/pattern",keyword:"pattern",params:{pattern: "^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"},message:"must match pattern \""+"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"+"\""};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
else {
const err37 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
}
else {
const err38 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://wlsync.dev/schemas/wlsyncrc.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.containers === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "containers"},message:"must have required property '"+"containers"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "syncer") || (key0 === "state-dir")) || (key0 === "max-delete")) || (key0 === "plugins")) || (key0 === "containers"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.syncer !== undefined){
let data0 = data.syncer;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err2 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data["state-dir"] !== undefined){
let data1 = data["state-dir"];
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err4 = {instancePath:instancePath+"/state-dir",schemaPath:"#/properties/state-dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/state-dir",schemaPath:"#/properties/state-dir/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data["max-delete"] !== undefined){
let data2 = data["max-delete"];
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 100 || isNaN(data2)){
const err6 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data2 < 0 || isNaN(data2)){
const err7 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.plugins !== undefined){
let data3 = data.plugins;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key1 in data3){
if(!((key1 === "allow") || (key1 === "deny"))){
const err9 = {instancePath:instancePath+"/plugins",schemaPath:"#/properties/plugins/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.allow !== undefined){
let data4 = data3.allow;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
let data5 = data4[i0];
if(typeof data5 === "string"){
if(func2(data5) < 1){
const err10 = {instancePath:instancePath+"/plugins/allow/" + i0,schemaPath:"#/properties/plugins/properties/allow/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/plugins/allow/" + i0,schemaPath:"#/properties/plugins/properties/allow/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/plugins/allow",schemaPath:"#/properties/plugins/properties/allow/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data3.deny !== undefined){
let data6 = data3.deny;
if(Array.isArray(data6)){
const len1 = data6.length;
for(let i1=0; i1<len1; i1++){
let data7 = data6[i1];
if(typeof data7 === "string"){
if(func2(data7) < 1){
const err13 = {instancePath:instancePath+"/plugins/deny/" + i1,schemaPath:"#/properties/plugins/properties/deny/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/plugins/deny/" + i1,schemaPath:"#/properties/plugins/properties/deny/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
else {
const err15 = {instancePath:instancePath+"/plugins/deny",schemaPath:"#/properties/plugins/properties/deny/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath:instancePath+"/plugins",schemaPath:"#/properties/plugins/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.containers !== undefined){
let data8 = data.containers;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
for(const key2 in data8){
const _errs22 = errors;
if(typeof key2 === "string"){
if(!pattern0.test(key2)){
const err17 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",propertyName:key2};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
var valid7 = _errs22 === errors;
if(!valid7){
const err18 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
for(const key3 in data8){
if(!(validate11(data8[key3], {instancePath:instancePath+"/containers/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data8,parentDataProperty:key3,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err19 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

/** True when `data` is valid; otherwise `validate.errors` says why (ajv ErrorObjects). */
export const validate = validate10 as ((data: unknown) => data is import("./wlsyncrc.generated.js").WlsyncConfig) & { errors?: ErrorObject[] | null };
