/* Generated from schemas/wlsyncrc.schema.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 9a23d302f2366e4952a7fd8b60af3fc013f4cdc0815cbb575dc346d0cfa174af */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/wlsyncrc.schema.json","title":"WlsyncConfig","description":"The .wlsyncrc file: containers of storages that should hold the same files.","type":"object","additionalProperties":false,"required":["containers"],"properties":{"syncer":{"description":"Force a syncer by its SYNCER_NAME for every container (--syncer wins).","type":"string","minLength":1},"state-dir":{"description":"Where the state store lives (env WLSYNC_STATE_DIR wins). Default: $XDG_STATE_HOME/wlsync or ~/.local/state/wlsync.","type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"plugins":{"description":"Which plugin packages may be loaded, by package name.","type":"object","additionalProperties":false,"properties":{"allow":{"type":"array","items":{"type":"string","minLength":1}},"deny":{"type":"array","items":{"type":"string","minLength":1}}}},"containers":{"description":"Named containers.","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"additionalProperties":{"$ref":"#/definitions/container"}}},"definitions":{"maxDelete":{"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100},"container":{"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns; a .wlsyncignore file at a storage root adds more.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"versions":{"$ref":"#/definitions/storageOptions/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}},"storage":{"title":"StorageConfig","allOf":[{"$ref":"#/definitions/storageOptions"},{"if":{"type":"object","properties":{"type":{"const":"local"}}},"then":{"type":"object","required":["path"]}},{"if":{"type":"object","properties":{"type":{"const":"s3"}}},"then":{"type":"object","required":["bucket"]}}]},"storageOptions":{"title":"StorageOptions","description":"One storage. Backends from plugins take their own extra options.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"path":{"description":"local: the folder, relative to the config file; ~ is the home folder.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"bucket":{"description":"s3: bucket name.","type":"string","minLength":1},"prefix":{"description":"s3: key prefix (a folder inside the bucket).","type":"string"},"region":{"description":"s3: region.","type":"string","minLength":1},"endpoint":{"description":"s3: endpoint URL of an S3-compatible server.","type":"string","minLength":1},"force-path-style":{"description":"s3: path-style addressing (MinIO, s3rver).","type":"boolean"},"part-size":{"description":"s3: MiB; files up to this size go up in one request, larger ones as multipart uploads of parts this size (default 8).","type":"number","minimum":5,"maximum":5120},"conditional-writes":{"description":"s3: whether the server honours If-None-Match/If-Match (default auto: probed once per run).","enum":["auto",true,false]},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}},"conflictResolve":{"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"}}};
const schema12 = {"description":"Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.","type":"number","minimum":0,"maximum":100};
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern0 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");
const schema13 = {"title":"ContainerConfig","type":"object","additionalProperties":false,"required":["storages"],"properties":{"storages":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/storage"}},"ignore":{"description":"gitignore-syntax patterns; a .wlsyncignore file at a storage root adds more.","type":"array","items":{"type":"string"}},"syncer":{"type":"string","minLength":1},"max-delete":{"$ref":"#/definitions/maxDelete"},"versions":{"$ref":"#/definitions/storageOptions/properties/versions"},"conflict-resolve":{"$ref":"#/definitions/conflictResolve"}}};
const schema17 = {"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}};
const schema18 = {"description":"Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.","type":"string","pattern":"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"};
const schema14 = {"title":"StorageConfig","allOf":[{"$ref":"#/definitions/storageOptions"},{"if":{"type":"object","properties":{"type":{"const":"local"}}},"then":{"type":"object","required":["path"]}},{"if":{"type":"object","properties":{"type":{"const":"s3"}}},"then":{"type":"object","required":["bucket"]}}]};
const schema15 = {"title":"StorageOptions","description":"One storage. Backends from plugins take their own extra options.","type":"object","additionalProperties":true,"required":["backend-id","type"],"properties":{"backend-id":{"description":"Unique within the container.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$"},"type":{"description":"The backend TYPE: local, s3, or a plugin's.","type":"string","minLength":1},"path":{"description":"local: the folder, relative to the config file; ~ is the home folder.","type":"string","minLength":1},"watcher-interval":{"description":"Seconds between scans of the polling watcher (continuous mode).","type":"number","exclusiveMinimum":0},"bucket":{"description":"s3: bucket name.","type":"string","minLength":1},"prefix":{"description":"s3: key prefix (a folder inside the bucket).","type":"string"},"region":{"description":"s3: region.","type":"string","minLength":1},"endpoint":{"description":"s3: endpoint URL of an S3-compatible server.","type":"string","minLength":1},"force-path-style":{"description":"s3: path-style addressing (MinIO, s3rver).","type":"boolean"},"part-size":{"description":"s3: MiB; files up to this size go up in one request, larger ones as multipart uploads of parts this size (default 8).","type":"number","minimum":5,"maximum":5120},"conditional-writes":{"description":"s3: whether the server honours If-None-Match/If-Match (default auto: probed once per run).","enum":["auto",true,false]},"versions":{"title":"VersionsConfig","description":"What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.","type":"object","additionalProperties":false,"required":["keep"],"properties":{"keep":{"description":"How long versions are kept: an age (\"30d\", \"12h\", \"90m\", \"2w\"), a count of versions per path (a whole number >= 1), or \"off\" (nothing kept).","oneOf":[{"type":"string","pattern":"^(off|[1-9][0-9]*[smhdw])$"},{"type":"integer","minimum":1}]}}}}};
const pattern2 = new RegExp("^(off|[1-9][0-9]*[smhdw])$", "u");

function validate12(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data["backend-id"] === undefined){
const err0 = {instancePath,schemaPath:"#/definitions/storageOptions/required",keyword:"required",params:{missingProperty: "backend-id"},message:"must have required property '"+"backend-id"+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.type === undefined){
const err1 = {instancePath,schemaPath:"#/definitions/storageOptions/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data["backend-id"] !== undefined){
let data0 = data["backend-id"];
if(typeof data0 === "string"){
if(!pattern0.test(data0)){
const err2 = {instancePath:instancePath+"/backend-id",schemaPath:"#/definitions/storageOptions/properties/backend-id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\""};
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
const err3 = {instancePath:instancePath+"/backend-id",schemaPath:"#/definitions/storageOptions/properties/backend-id/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.type !== undefined){
let data1 = data.type;
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err4 = {instancePath:instancePath+"/type",schemaPath:"#/definitions/storageOptions/properties/type/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err5 = {instancePath:instancePath+"/type",schemaPath:"#/definitions/storageOptions/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.path !== undefined){
let data2 = data.path;
if(typeof data2 === "string"){
if(func2(data2) < 1){
const err6 = {instancePath:instancePath+"/path",schemaPath:"#/definitions/storageOptions/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/path",schemaPath:"#/definitions/storageOptions/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data["watcher-interval"] !== undefined){
let data3 = data["watcher-interval"];
if((typeof data3 == "number") && (isFinite(data3))){
if(data3 <= 0 || isNaN(data3)){
const err8 = {instancePath:instancePath+"/watcher-interval",schemaPath:"#/definitions/storageOptions/properties/watcher-interval/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/watcher-interval",schemaPath:"#/definitions/storageOptions/properties/watcher-interval/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.bucket !== undefined){
let data4 = data.bucket;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err10 = {instancePath:instancePath+"/bucket",schemaPath:"#/definitions/storageOptions/properties/bucket/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err11 = {instancePath:instancePath+"/bucket",schemaPath:"#/definitions/storageOptions/properties/bucket/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.prefix !== undefined){
if(typeof data.prefix !== "string"){
const err12 = {instancePath:instancePath+"/prefix",schemaPath:"#/definitions/storageOptions/properties/prefix/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.region !== undefined){
let data6 = data.region;
if(typeof data6 === "string"){
if(func2(data6) < 1){
const err13 = {instancePath:instancePath+"/region",schemaPath:"#/definitions/storageOptions/properties/region/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
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
const err14 = {instancePath:instancePath+"/region",schemaPath:"#/definitions/storageOptions/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.endpoint !== undefined){
let data7 = data.endpoint;
if(typeof data7 === "string"){
if(func2(data7) < 1){
const err15 = {instancePath:instancePath+"/endpoint",schemaPath:"#/definitions/storageOptions/properties/endpoint/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/endpoint",schemaPath:"#/definitions/storageOptions/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data["force-path-style"] !== undefined){
if(typeof data["force-path-style"] !== "boolean"){
const err17 = {instancePath:instancePath+"/force-path-style",schemaPath:"#/definitions/storageOptions/properties/force-path-style/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data["part-size"] !== undefined){
let data9 = data["part-size"];
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 > 5120 || isNaN(data9)){
const err18 = {instancePath:instancePath+"/part-size",schemaPath:"#/definitions/storageOptions/properties/part-size/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5120},message:"must be <= 5120"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data9 < 5 || isNaN(data9)){
const err19 = {instancePath:instancePath+"/part-size",schemaPath:"#/definitions/storageOptions/properties/part-size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 5},message:"must be >= 5"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/part-size",schemaPath:"#/definitions/storageOptions/properties/part-size/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data["conditional-writes"] !== undefined){
let data10 = data["conditional-writes"];
if(!(((data10 === "auto") || (data10 === true)) || (data10 === false))){
const err21 = {instancePath:instancePath+"/conditional-writes",schemaPath:"#/definitions/storageOptions/properties/conditional-writes/enum",keyword:"enum",params:{allowedValues: schema15.properties["conditional-writes"].enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.versions !== undefined){
let data11 = data.versions;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
if(data11.keep === undefined){
const err22 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
for(const key0 in data11){
if(!(key0 === "keep")){
const err23 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data11.keep !== undefined){
let data12 = data11.keep;
const _errs29 = errors;
let valid4 = false;
let passing0 = null;
const _errs30 = errors;
if(typeof data12 === "string"){
if(!pattern2.test(data12)){
const err24 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
else {
const err25 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
var _valid0 = _errs30 === errors;
if(_valid0){
valid4 = true;
passing0 = 0;
}
const _errs32 = errors;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
const err26 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if((typeof data12 == "number") && (isFinite(data12))){
if(data12 < 1 || isNaN(data12)){
const err27 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
var _valid0 = _errs32 === errors;
if(_valid0 && valid4){
valid4 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid4 = true;
passing0 = 1;
}
}
if(!valid4){
const err28 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
else {
errors = _errs29;
if(vErrors !== null){
if(_errs29){
vErrors.length = _errs29;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err29 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath,schemaPath:"#/definitions/storageOptions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
const _errs35 = errors;
let valid5 = true;
const _errs36 = errors;
if(errors === _errs36){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type !== undefined){
if("local" !== data.type){
const err31 = {};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
else {
const err32 = {};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
var _valid1 = _errs36 === errors;
errors = _errs35;
if(vErrors !== null){
if(_errs35){
vErrors.length = _errs35;
}
else {
vErrors = null;
}
}
if(_valid1){
const _errs39 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err33 = {instancePath,schemaPath:"#/allOf/1/then/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
else {
const err34 = {instancePath,schemaPath:"#/allOf/1/then/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
var _valid1 = _errs39 === errors;
valid5 = _valid1;
}
if(!valid5){
const err35 = {instancePath,schemaPath:"#/allOf/1/if",keyword:"if",params:{failingKeyword: "then"},message:"must match \"then\" schema"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
const _errs42 = errors;
let valid7 = true;
const _errs43 = errors;
if(errors === _errs43){
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type !== undefined){
if("s3" !== data.type){
const err36 = {};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
var _valid2 = _errs43 === errors;
errors = _errs42;
if(vErrors !== null){
if(_errs42){
vErrors.length = _errs42;
}
else {
vErrors = null;
}
}
if(_valid2){
const _errs46 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.bucket === undefined){
const err38 = {instancePath,schemaPath:"#/allOf/2/then/required",keyword:"required",params:{missingProperty: "bucket"},message:"must have required property '"+"bucket"+"'"};
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
const err39 = {instancePath,schemaPath:"#/allOf/2/then/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
var _valid2 = _errs46 === errors;
valid7 = _valid2;
}
if(!valid7){
const err40 = {instancePath,schemaPath:"#/allOf/2/if",keyword:"if",params:{failingKeyword: "then"},message:"must match \"then\" schema"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
validate12.errors = vErrors;
return errors === 0;
}

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
if(!(validate12(data0[i0], {instancePath:instancePath+"/storages/" + i0,parentData:data0,parentDataProperty:i0,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
}
}
else {
const err3 = {instancePath:instancePath+"/storages",schemaPath:"#/properties/storages/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.ignore !== undefined){
let data2 = data.ignore;
if(Array.isArray(data2)){
const len1 = data2.length;
for(let i1=0; i1<len1; i1++){
if(typeof data2[i1] !== "string"){
const err4 = {instancePath:instancePath+"/ignore/" + i1,schemaPath:"#/properties/ignore/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.syncer !== undefined){
let data4 = data.syncer;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err6 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data["max-delete"] !== undefined){
let data5 = data["max-delete"];
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 100 || isNaN(data5)){
const err8 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data5 < 0 || isNaN(data5)){
const err9 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
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
const err10 = {instancePath:instancePath+"/max-delete",schemaPath:"#/definitions/maxDelete/type",keyword:"type",params:{type: "number"},message:"must be number"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.versions !== undefined){
let data6 = data.versions;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.keep === undefined){
const err11 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/required",keyword:"required",params:{missingProperty: "keep"},message:"must have required property '"+"keep"+"'"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
for(const key1 in data6){
if(!(key1 === "keep")){
const err12 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data6.keep !== undefined){
let data7 = data6.keep;
const _errs19 = errors;
let valid8 = false;
let passing0 = null;
const _errs20 = errors;
if(typeof data7 === "string"){
if(!pattern2.test(data7)){
const err13 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/0/pattern",keyword:"pattern",params:{pattern: "^(off|[1-9][0-9]*[smhdw])$"},message:"must match pattern \""+"^(off|[1-9][0-9]*[smhdw])$"+"\""};
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
const err14 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
var _valid0 = _errs20 === errors;
if(_valid0){
valid8 = true;
passing0 = 0;
}
const _errs22 = errors;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err15 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/1/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 < 1 || isNaN(data7)){
const err16 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf/1/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
var _valid0 = _errs22 === errors;
if(_valid0 && valid8){
valid8 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid8 = true;
passing0 = 1;
}
}
if(!valid8){
const err17 = {instancePath:instancePath+"/versions/keep",schemaPath:"#/definitions/storageOptions/properties/versions/properties/keep/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
else {
errors = _errs19;
if(vErrors !== null){
if(_errs19){
vErrors.length = _errs19;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err18 = {instancePath:instancePath+"/versions",schemaPath:"#/definitions/storageOptions/properties/versions/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data["conflict-resolve"] !== undefined){
let data8 = data["conflict-resolve"];
if(typeof data8 === "string"){
if(!pattern4.test(data8)){
const err19 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/pattern",keyword:"pattern",params:{pattern: "^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"},message:"must match pattern \""+"^(newer|older|larger|smaller|both|[A-Za-z0-9][A-Za-z0-9._-]*)$"+"\""};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/conflict-resolve",schemaPath:"#/definitions/conflictResolve/type",keyword:"type",params:{type: "string"},message:"must be string"};
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
