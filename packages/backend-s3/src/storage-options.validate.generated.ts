/* Generated from packages/backend-s3/schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 6d642f98ecd01f9734f4613c409f9b67f1eaa379f61dc23571c94f8063f11356 */
// @ts-nocheck
import type { JsonSchema, OptionsValidator } from "@wlsync/plugin-api";

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/backend-s3/storage-options.schema.json","title":"S3StorageOptions","description":"The options of a `type: s3` storage, besides backend-id, type and watcher-interval. Credentials are never among them.","type":"object","additionalProperties":false,"required":["bucket"],"properties":{"bucket":{"description":"Bucket name.","type":"string","minLength":1},"prefix":{"description":"Key prefix (a folder inside the bucket).","type":"string"},"region":{"description":"Region.","type":"string","minLength":1},"endpoint":{"description":"Endpoint URL of an S3-compatible server (http:// or https://).","type":"string","pattern":"^https?://[^/]"},"force-path-style":{"description":"Path-style addressing (MinIO, s3rver, Ceph). Default: true when endpoint is set.","type":"boolean"},"part-size":{"description":"MiB; files up to this size go up in one request, larger ones as multipart uploads of parts this size (default 8).","type":"number","minimum":5,"maximum":5120},"conditional-writes":{"description":"Whether the server honours If-None-Match/If-Match (default auto: probed once per run).","enum":["auto",true,false]},"access-key-id":{"$ref":"#/definitions/refusedCredential"},"secret-access-key":{"$ref":"#/definitions/refusedCredential"},"session-token":{"$ref":"#/definitions/refusedCredential"},"accessKeyId":{"$ref":"#/definitions/refusedCredential"},"secretAccessKey":{"$ref":"#/definitions/refusedCredential"},"credentials":{"$ref":"#/definitions/refusedCredential"}},"definitions":{"refusedCredential":{"description":"is not read from the config: credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE and ~/.aws); remove it","tsType":"never","not":{}}}};
const schema12 = {"description":"is not read from the config: credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE and ~/.aws); remove it","tsType":"never","not":{}};
const func2 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^https?://[^/]", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://wlsync.dev/schemas/backend-s3/storage-options.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.bucket === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "bucket"},message:"must have required property '"+"bucket"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
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
if(data.bucket !== undefined){
let data0 = data.bucket;
if(typeof data0 === "string"){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/bucket",schemaPath:"#/properties/bucket/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.bucket,data:data0};
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
const err3 = {instancePath:instancePath+"/bucket",schemaPath:"#/properties/bucket/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.bucket.type,parentSchema:schema11.properties.bucket,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.prefix !== undefined){
let data1 = data.prefix;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/prefix",schemaPath:"#/properties/prefix/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.prefix.type,parentSchema:schema11.properties.prefix,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.region !== undefined){
let data2 = data.region;
if(typeof data2 === "string"){
if(data2.length < 1){
const err5 = {instancePath:instancePath+"/region",schemaPath:"#/properties/region/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.region,data:data2};
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
const err6 = {instancePath:instancePath+"/region",schemaPath:"#/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.region.type,parentSchema:schema11.properties.region,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.endpoint !== undefined){
let data3 = data.endpoint;
if(typeof data3 === "string"){
if(!pattern0.test(data3)){
const err7 = {instancePath:instancePath+"/endpoint",schemaPath:"#/properties/endpoint/pattern",keyword:"pattern",params:{pattern: "^https?://[^/]"},message:"must match pattern \""+"^https?://[^/]"+"\"",schema:"^https?://[^/]",parentSchema:schema11.properties.endpoint,data:data3};
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
const err8 = {instancePath:instancePath+"/endpoint",schemaPath:"#/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.endpoint.type,parentSchema:schema11.properties.endpoint,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data["force-path-style"] !== undefined){
let data4 = data["force-path-style"];
if(typeof data4 !== "boolean"){
const err9 = {instancePath:instancePath+"/force-path-style",schemaPath:"#/properties/force-path-style/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties["force-path-style"].type,parentSchema:schema11.properties["force-path-style"],data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data["part-size"] !== undefined){
let data5 = data["part-size"];
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 5120 || isNaN(data5)){
const err10 = {instancePath:instancePath+"/part-size",schemaPath:"#/properties/part-size/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5120},message:"must be <= 5120",schema:5120,parentSchema:schema11.properties["part-size"],data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data5 < 5 || isNaN(data5)){
const err11 = {instancePath:instancePath+"/part-size",schemaPath:"#/properties/part-size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 5},message:"must be >= 5",schema:5,parentSchema:schema11.properties["part-size"],data:data5};
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
const err12 = {instancePath:instancePath+"/part-size",schemaPath:"#/properties/part-size/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties["part-size"].type,parentSchema:schema11.properties["part-size"],data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data["conditional-writes"] !== undefined){
let data6 = data["conditional-writes"];
if(!(((data6 === "auto") || (data6 === true)) || (data6 === false))){
const err13 = {instancePath:instancePath+"/conditional-writes",schemaPath:"#/properties/conditional-writes/enum",keyword:"enum",params:{allowedValues: schema11.properties["conditional-writes"].enum},message:"must be equal to one of the allowed values",schema:schema11.properties["conditional-writes"].enum,parentSchema:schema11.properties["conditional-writes"],data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data["access-key-id"] !== undefined){
const err14 = {instancePath:instancePath+"/access-key-id",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data["access-key-id"]};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data["secret-access-key"] !== undefined){
const err15 = {instancePath:instancePath+"/secret-access-key",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data["secret-access-key"]};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data["session-token"] !== undefined){
const err16 = {instancePath:instancePath+"/session-token",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data["session-token"]};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(data.accessKeyId !== undefined){
const err17 = {instancePath:instancePath+"/accessKeyId",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data.accessKeyId};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(data.secretAccessKey !== undefined){
const err18 = {instancePath:instancePath+"/secretAccessKey",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data.secretAccessKey};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data.credentials !== undefined){
const err19 = {instancePath:instancePath+"/credentials",schemaPath:"#/definitions/refusedCredential/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema12.not,parentSchema:schema12,data:data.credentials};
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
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
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

/** The JSON Schema of this backend's storage options (exposed as the class's OPTIONS_SCHEMA). */
export const OPTIONS_SCHEMA: JsonSchema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://wlsync.dev/schemas/backend-s3/storage-options.schema.json",
  "title": "S3StorageOptions",
  "description": "The options of a `type: s3` storage, besides backend-id, type and watcher-interval. Credentials are never among them.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "bucket"
  ],
  "properties": {
    "bucket": {
      "description": "Bucket name.",
      "type": "string",
      "minLength": 1
    },
    "prefix": {
      "description": "Key prefix (a folder inside the bucket).",
      "type": "string"
    },
    "region": {
      "description": "Region.",
      "type": "string",
      "minLength": 1
    },
    "endpoint": {
      "description": "Endpoint URL of an S3-compatible server (http:// or https://).",
      "type": "string",
      "pattern": "^https?://[^/]"
    },
    "force-path-style": {
      "description": "Path-style addressing (MinIO, s3rver, Ceph). Default: true when endpoint is set.",
      "type": "boolean"
    },
    "part-size": {
      "description": "MiB; files up to this size go up in one request, larger ones as multipart uploads of parts this size (default 8).",
      "type": "number",
      "minimum": 5,
      "maximum": 5120
    },
    "conditional-writes": {
      "description": "Whether the server honours If-None-Match/If-Match (default auto: probed once per run).",
      "enum": [
        "auto",
        true,
        false
      ]
    },
    "access-key-id": {
      "$ref": "#/definitions/refusedCredential"
    },
    "secret-access-key": {
      "$ref": "#/definitions/refusedCredential"
    },
    "session-token": {
      "$ref": "#/definitions/refusedCredential"
    },
    "accessKeyId": {
      "$ref": "#/definitions/refusedCredential"
    },
    "secretAccessKey": {
      "$ref": "#/definitions/refusedCredential"
    },
    "credentials": {
      "$ref": "#/definitions/refusedCredential"
    }
  },
  "definitions": {
    "refusedCredential": {
      "description": "is not read from the config: credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE and ~/.aws); remove it",
      "tsType": "never",
      "not": {}
    }
  }
};

/** True when the options are valid; otherwise `validateOptions.errors` says why. */
export const validateOptions = validate10 as OptionsValidator;
