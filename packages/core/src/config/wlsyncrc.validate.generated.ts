/* Generated from schemas/wlsyncrc.schema.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 1595b71a520885fbafc9fcefed3f47e6e137de9437b610e027de98a7eec5feaa */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/wlsyncrc.schema.json","title":"WlsyncConfig","description":"The .wlsyncrc file: containers of storages that should hold the same files.","type":"object","additionalProperties":false,"required":["containers"],"properties":{"syncer":{"description":"Force a syncer by its SYNCER_NAME for every container (--syncer wins).","type":"string","minLength":1},"state-dir":{"description":"Where the state store lives (env WLSYNC_STATE_DIR wins). Default: $XDG_STATE_HOME/wlsync or ~/.local/state/wlsync.","type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"ignore-gitignore":{"$ref":"#/definitions/ignoreGitignore"},"plugins":{"description":"Which plugin packages may be loaded, by package name.","type":"object","additionalProperties":false,"properties":{"allow":{"type":"array","items":{"type":"string","minLength":1}},"deny":{"type":"array","items":{"type":"string","minLength":1}}}},"containers":{"description":"Named containers.","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"additionalProperties":{"$ref":"#/definitions/container"}}},"definitions":{"ignoreGitignore":{"description":"Also honour .gitignore files (in any folder, applying below it, as git does) besides .wlsyncignore files. Default false; a container's setting beats the top level's.","type":"boolean"},"maxDelete":{"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100},"container":{"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns, from the storage root; a .wlsyncignore file in any folder adds more that apply below it.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"ignore-gitignore":{"$ref":"#/definitions/ignoreGitignore"},"versions":{"$ref":"#/definitions/storage/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}},"storage":{"title":"StorageConfig","description":"One storage. Only the keys every backend has are checked here; the others are the backend's options, checked against the backend's own schema (its OPTIONS_SCHEMA) when the container is used.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"bwlimit":{"description":"Bandwidth limit for transfers to or from this storage: KiB per second, or a string with a unit (\"500K\", \"2.5M\", \"1G\"); a pass uses the smallest of its two storages' and --bwlimit.","type":["number","string"],"pattern":"^\\s*\\d+(\\.\\d+)?\\s*[bBkKmMgG]?([iI]?[bB])?(/s)?\\s*$","minimum":0},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}},"conflictResolve":{"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"}}};
const schema12 = {"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100};
const schema13 = {"description":"Also honour .gitignore files (in any folder, applying below it, as git does) besides .wlsyncignore files. Default false; a container's setting beats the top level's.","type":"boolean"};
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");
const schema14 = {"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns, from the storage root; a .wlsyncignore file in any folder adds more that apply below it.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"ignore-gitignore":{"$ref":"#/definitions/ignoreGitignore"},"versions":{"$ref":"#/definitions/storage/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}};
const schema15 = {"title":"StorageConfig","description":"One storage. Only the keys every backend has are checked here; the others are the backend's options, checked against the backend's own schema (its OPTIONS_SCHEMA) when the container is used.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"bwlimit":{"description":"Bandwidth limit for transfers to or from this storage: KiB per second, or a string with a unit (\"500K\", \"2.5M\", \"1G\"); a pass uses the smallest of its two storages' and --bwlimit.","type":["number","string"],"pattern":"^\\s*\\d+(\\.\\d+)?\\s*[bBkKmMgG]?([iI]?[bB])?(/s)?\\s*$","minimum":0},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}};
const schema18 = {"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}};
const schema19 = {"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"};
const pattern2 = new RegExp("^\\s*\\d+(\\.\\d+)?\\s*[bBkKmMgG]?([iI]?[bB])?(/s)?\\s*$", "u");
const pattern3 = new RegExp("^(off|[1-9][0-9]*[smhdw])$", "u");
const pattern5 = new RegExp("^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$", "u");

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
if(!(((((((key0 === "storages") || (key0 === "ignore")) || (key0 === "syncer")) || (key0 === "max-delete")) || (key0 === "ignore-gitignore")) || (key0 === "versions")) || (key0 === "conflict-resolve"))){
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
if(data1.bwlimit !== undefined){
let data5 = data1.bwlimit;
if((!((typeof data5 == "number") && (isFinite(data5)))) && (typeof data5 !== "string")){
const err11 = {instancePath:instancePath+"/storages/" + i0+"/bwlimit",schemaPath:"#/definitions/storage/properties/bwlimit/type",keyword:"type",params:{type: schema15.properties.bwlimit.type},message:"must be number,string"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 < 0 || isNaN(data5)){
const err12 = {instancePath:instancePath+"/storages/" + i0+"/bwlimit",schemaPath:"#/definitions/storage/properties/bwlimit/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(typeof data5 === "string"){
if(!pattern2.test(data5)){
const err13 = {instancePath:instancePath+"/storages/" + i0+"/bwlimit",schemaPath:"#/definitions/storage/properties/bwlimit/pattern",keyword:"pattern",params:{pattern: "^\\s*\\d+(\\.\\d+)?\\s*[bBkKmMgG]?([iI]?[bB])?(/s)?\\s*$"},message:"must match pattern \""+"^\\s*\\d+(\\.\\d+)?\\s*[bBkKmMgG]?([iI]?[bB])?(/s)?\\s*$"+"\""};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
if(data1.versions !== undefined){
let data6 = data1.versions;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.keep === undefined){
const err14 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
for(const key1 in data6){
if(!(key1 === "keep")){
const err15 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data6.keep !== undefined){
let data7 = data6.keep;
const _errs20 = errors;
let valid6 = false;
let passing0 = null;
const _errs21 = errors;
if(typeof data7 === "string"){
if(!pattern3.test(data7)){
const err16 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
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
const err17 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
var _valid0 = _errs21 === errors;
if(_valid0){
valid6 = true;
passing0 = 0;
}
const _errs23 = errors;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err18 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 < 1 || isNaN(data7)){
const err19 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
var _valid0 = _errs23 === errors;
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
const err20 = {instancePath:instancePath+"/storages/" + i0+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
else {
errors = _errs20;
if(vErrors !== null){
if(_errs20){
vErrors.length = _errs20;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err21 = {instancePath:instancePath+"/storages/" + i0+"/versions",schemaPath:"#/definitions/storage/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
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
const err22 = {instancePath:instancePath+"/storages/" + i0,schemaPath:"#/definitions/storage/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/storages",schemaPath:"#/properties/storages/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.ignore !== undefined){
let data8 = data.ignore;
if(Array.isArray(data8)){
const len1 = data8.length;
for(let i1=0; i1<len1; i1++){
if(typeof data8[i1] !== "string"){
const err24 = {instancePath:instancePath+"/ignore/" + i1,schemaPath:"#/properties/ignore/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.syncer !== undefined){
let data10 = data.syncer;
if(typeof data10 === "string"){
if(func2(data10) < 1){
const err26 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err27 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data["max-delete"] !== undefined){
let data11 = data["max-delete"];
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 100 || isNaN(data11)){
const err28 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if(data11 < 0 || isNaN(data11)){
const err29 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data["ignore-gitignore"] !== undefined){
if(typeof data["ignore-gitignore"] !== "boolean"){
const err31 = {instancePath:instancePath+"/ignore-gitignore",schemaPath:"#/definitions/ignoreGitignore/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.versions !== undefined){
let data13 = data.versions;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
if(data13.keep === undefined){
const err32 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
for(const key2 in data13){
if(!(key2 === "keep")){
const err33 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data13.keep !== undefined){
let data14 = data13.keep;
const _errs42 = errors;
let valid13 = false;
let passing1 = null;
const _errs43 = errors;
if(typeof data14 === "string"){
if(!pattern3.test(data14)){
const err34 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
else {
const err35 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
var _valid1 = _errs43 === errors;
if(_valid1){
valid13 = true;
passing1 = 0;
}
const _errs45 = errors;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
const err36 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if((typeof data14 == "number") && (isFinite(data14))){
if(data14 < 1 || isNaN(data14)){
const err37 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
var _valid1 = _errs45 === errors;
if(_valid1 && valid13){
valid13 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid13 = true;
passing1 = 1;
}
}
if(!valid13){
const err38 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storage/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
else {
errors = _errs42;
if(vErrors !== null){
if(_errs42){
vErrors.length = _errs42;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err39 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storage/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data["conflict-resolve"] !== undefined){
let data15 = data["conflict-resolve"];
if(typeof data15 === "string"){
if(!pattern5.test(data15)){
const err40 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/pattern",keyword:"pattern",params:{pattern: "^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"},message:"must match pattern \""+"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"+"\""};
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
const err41 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
else {
const err42 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
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
if(!((((((key0 === "syncer") || (key0 === "state-dir")) || (key0 === "max-delete")) || (key0 === "ignore-gitignore")) || (key0 === "plugins")) || (key0 === "containers"))){
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
if(data["ignore-gitignore"] !== undefined){
if(typeof data["ignore-gitignore"] !== "boolean"){
const err9 = {instancePath:instancePath+"/ignore-gitignore",schemaPath:"#/definitions/ignoreGitignore/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.plugins !== undefined){
let data4 = data.plugins;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key1 in data4){
if(!((key1 === "allow") || (key1 === "deny"))){
const err10 = {instancePath:instancePath+"/plugins",schemaPath:"#/properties/plugins/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data4.allow !== undefined){
let data5 = data4.allow;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(typeof data6 === "string"){
if(func2(data6) < 1){
const err11 = {instancePath:instancePath+"/plugins/allow/" + i0,schemaPath:"#/properties/plugins/properties/allow/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/plugins/allow/" + i0,schemaPath:"#/properties/plugins/properties/allow/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/plugins/allow",schemaPath:"#/properties/plugins/properties/allow/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data4.deny !== undefined){
let data7 = data4.deny;
if(Array.isArray(data7)){
const len1 = data7.length;
for(let i1=0; i1<len1; i1++){
let data8 = data7[i1];
if(typeof data8 === "string"){
if(func2(data8) < 1){
const err14 = {instancePath:instancePath+"/plugins/deny/" + i1,schemaPath:"#/properties/plugins/properties/deny/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err15 = {instancePath:instancePath+"/plugins/deny/" + i1,schemaPath:"#/properties/plugins/properties/deny/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
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
const err16 = {instancePath:instancePath+"/plugins/deny",schemaPath:"#/properties/plugins/properties/deny/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
else {
const err17 = {instancePath:instancePath+"/plugins",schemaPath:"#/properties/plugins/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.containers !== undefined){
let data9 = data.containers;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
for(const key2 in data9){
const _errs25 = errors;
if(typeof key2 === "string"){
if(!pattern0.test(key2)){
const err18 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",propertyName:key2};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
var valid8 = _errs25 === errors;
if(!valid8){
const err19 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
for(const key3 in data9){
if(!(validate11(data9[key3], {instancePath:instancePath+"/containers/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data9,parentDataProperty:key3,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err20 = {instancePath:instancePath+"/containers",schemaPath:"#/properties/containers/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

/** True when `data` is valid; otherwise `validate.errors` says why (ajv ErrorObjects). */
export const validate = validate10 as ((data: unknown) => data is import("./wlsyncrc.generated.js").WlsyncConfig) & { errors?: ErrorObject[] | null };
