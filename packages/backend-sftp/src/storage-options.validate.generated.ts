/* Generated from packages/backend-sftp/schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: ea16f2a8c78d90b211b247a3fabd46b8b2c661905ac764d86e9c9b0de4cb0b57 */
// @ts-nocheck
import type { JsonSchema, OptionsValidator } from "@wlsync/plugin-api";

const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://wlsync.dev/schemas/backend-sftp/storage-options.schema.json","title":"SftpStorageOptions","description":"The options of a `type: sftp` storage (a folder on a host reached over SSH), besides backend-id, type and watcher-interval. Host keys are checked against a known_hosts file; an unknown or changed key stops the pass (exit 3).","type":"object","additionalProperties":false,"required":["host","path"],"properties":{"host":{"description":"Host name or IP address of the SSH server.","type":"string","minLength":1,"pattern":"^[^\\s@/]+$"},"port":{"description":"TCP port of the SSH server (default 22).","type":"integer","minimum":1,"maximum":65535},"user":{"description":"Login name (default: the local user name).","type":"string","minLength":1},"path":{"description":"The folder on the server: absolute, or relative to the login's home folder.","type":"string","minLength":1},"identity-file":{"description":"Private key file (OpenSSH format, unencrypted), relative to the config file; ~ is the home folder. Without it the ssh-agent (SSH_AUTH_SOCK) is used, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa.","type":"string","minLength":1},"known-hosts":{"description":"known_hosts file the server's host key is checked against (default ~/.ssh/known_hosts), relative to the config file. Add a key with: ssh-keyscan -p PORT HOST >> FILE (after checking its fingerprint).","type":"string","minLength":1},"remote-shell":{"description":"Whether commands may run on the server (sha256sum, find, rsync): \"auto\" (default) probes once per connection; false keeps to the SFTP protocol (hashes are then computed by reading the bytes).","enum":["auto",true,false]},"connect-timeout":{"description":"Seconds to wait for the SSH handshake (default 20).","type":"number","exclusiveMinimum":0}}};
const pattern0 = new RegExp("^[^\\s@/]+$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://wlsync.dev/schemas/backend-sftp/storage-options.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.host === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "host"},message:"must have required property '"+"host"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.path === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((((((((key0 === "host") || (key0 === "port")) || (key0 === "user")) || (key0 === "path")) || (key0 === "identity-file")) || (key0 === "known-hosts")) || (key0 === "remote-shell")) || (key0 === "connect-timeout"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.host !== undefined){
let data0 = data.host;
if(typeof data0 === "string"){
if(data0.length < 1){
const err3 = {instancePath:instancePath+"/host",schemaPath:"#/properties/host/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.host,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern0.test(data0)){
const err4 = {instancePath:instancePath+"/host",schemaPath:"#/properties/host/pattern",keyword:"pattern",params:{pattern: "^[^\\s@/]+$"},message:"must match pattern \""+"^[^\\s@/]+$"+"\"",schema:"^[^\\s@/]+$",parentSchema:schema11.properties.host,data:data0};
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
const err5 = {instancePath:instancePath+"/host",schemaPath:"#/properties/host/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.host.type,parentSchema:schema11.properties.host,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.port !== undefined){
let data1 = data.port;
if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){
const err6 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.port.type,parentSchema:schema11.properties.port,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 > 65535 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",schema:65535,parentSchema:schema11.properties.port,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data1 < 1 || isNaN(data1)){
const err8 = {instancePath:instancePath+"/port",schemaPath:"#/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.port,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
if(data.user !== undefined){
let data2 = data.user;
if(typeof data2 === "string"){
if(data2.length < 1){
const err9 = {instancePath:instancePath+"/user",schemaPath:"#/properties/user/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.user,data:data2};
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
const err10 = {instancePath:instancePath+"/user",schemaPath:"#/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.user.type,parentSchema:schema11.properties.user,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.path !== undefined){
let data3 = data.path;
if(typeof data3 === "string"){
if(data3.length < 1){
const err11 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.path,data:data3};
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
const err12 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.path.type,parentSchema:schema11.properties.path,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data["identity-file"] !== undefined){
let data4 = data["identity-file"];
if(typeof data4 === "string"){
if(data4.length < 1){
const err13 = {instancePath:instancePath+"/identity-file",schemaPath:"#/properties/identity-file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties["identity-file"],data:data4};
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
const err14 = {instancePath:instancePath+"/identity-file",schemaPath:"#/properties/identity-file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties["identity-file"].type,parentSchema:schema11.properties["identity-file"],data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data["known-hosts"] !== undefined){
let data5 = data["known-hosts"];
if(typeof data5 === "string"){
if(data5.length < 1){
const err15 = {instancePath:instancePath+"/known-hosts",schemaPath:"#/properties/known-hosts/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties["known-hosts"],data:data5};
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
const err16 = {instancePath:instancePath+"/known-hosts",schemaPath:"#/properties/known-hosts/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties["known-hosts"].type,parentSchema:schema11.properties["known-hosts"],data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data["remote-shell"] !== undefined){
let data6 = data["remote-shell"];
if(!(((data6 === "auto") || (data6 === true)) || (data6 === false))){
const err17 = {instancePath:instancePath+"/remote-shell",schemaPath:"#/properties/remote-shell/enum",keyword:"enum",params:{allowedValues: schema11.properties["remote-shell"].enum},message:"must be equal to one of the allowed values",schema:schema11.properties["remote-shell"].enum,parentSchema:schema11.properties["remote-shell"],data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data["connect-timeout"] !== undefined){
let data7 = data["connect-timeout"];
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 <= 0 || isNaN(data7)){
const err18 = {instancePath:instancePath+"/connect-timeout",schemaPath:"#/properties/connect-timeout/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties["connect-timeout"],data:data7};
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
const err19 = {instancePath:instancePath+"/connect-timeout",schemaPath:"#/properties/connect-timeout/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties["connect-timeout"].type,parentSchema:schema11.properties["connect-timeout"],data:data7};
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
  "$id": "https://wlsync.dev/schemas/backend-sftp/storage-options.schema.json",
  "title": "SftpStorageOptions",
  "description": "The options of a `type: sftp` storage (a folder on a host reached over SSH), besides backend-id, type and watcher-interval. Host keys are checked against a known_hosts file; an unknown or changed key stops the pass (exit 3).",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "host",
    "path"
  ],
  "properties": {
    "host": {
      "description": "Host name or IP address of the SSH server.",
      "type": "string",
      "minLength": 1,
      "pattern": "^[^\\s@/]+$"
    },
    "port": {
      "description": "TCP port of the SSH server (default 22).",
      "type": "integer",
      "minimum": 1,
      "maximum": 65535
    },
    "user": {
      "description": "Login name (default: the local user name).",
      "type": "string",
      "minLength": 1
    },
    "path": {
      "description": "The folder on the server: absolute, or relative to the login's home folder.",
      "type": "string",
      "minLength": 1
    },
    "identity-file": {
      "description": "Private key file (OpenSSH format, unencrypted), relative to the config file; ~ is the home folder. Without it the ssh-agent (SSH_AUTH_SOCK) is used, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa.",
      "type": "string",
      "minLength": 1
    },
    "known-hosts": {
      "description": "known_hosts file the server's host key is checked against (default ~/.ssh/known_hosts), relative to the config file. Add a key with: ssh-keyscan -p PORT HOST >> FILE (after checking its fingerprint).",
      "type": "string",
      "minLength": 1
    },
    "remote-shell": {
      "description": "Whether commands may run on the server (sha256sum, find, rsync): \"auto\" (default) probes once per connection; false keeps to the SFTP protocol (hashes are then computed by reading the bytes).",
      "enum": [
        "auto",
        true,
        false
      ]
    },
    "connect-timeout": {
      "description": "Seconds to wait for the SSH handshake (default 20).",
      "type": "number",
      "exclusiveMinimum": 0
    }
  }
};

/** True when the options are valid; otherwise `validateOptions.errors` says why. */
export const validateOptions = validate10 as OptionsValidator;
