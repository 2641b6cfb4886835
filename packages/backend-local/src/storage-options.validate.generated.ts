/* Generated from packages/backend-local/schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 0ff6f4bc5a58e7533819583cdbca9da38d01105f19f75a068b79bba35010f3c2 */
// @ts-nocheck
import type { JsonSchema, OptionsValidator } from "@wlsync/plugin-api";

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/backend-local/storage-options.schema.json","title":"LocalStorageOptions","description":"The options of a `type: local` storage, besides backend-id, type and watcher-interval.","type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"The folder, relative to the config file; ~ is the home folder.","type":"string","minLength":1}}};

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://wlsync.dev/schemas/backend-local/storage-options.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "path")){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 === "string"){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.path,data:data0};
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
const err3 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.path.type,parentSchema:schema11.properties.path,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
else {
const err4 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

/** The JSON Schema of this backend's storage options (exposed as the class's OPTIONS_SCHEMA). */
export const OPTIONS_SCHEMA: JsonSchema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://wlsync.dev/schemas/backend-local/storage-options.schema.json",
  "title": "LocalStorageOptions",
  "description": "The options of a `type: local` storage, besides backend-id, type and watcher-interval.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "path"
  ],
  "properties": {
    "path": {
      "description": "The folder, relative to the config file; ~ is the home folder.",
      "type": "string",
      "minLength": 1
    }
  }
};

/** True when the options are valid; otherwise `validateOptions.errors` says why. */
export const validateOptions = validate10 as OptionsValidator;
