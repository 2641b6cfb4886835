/* Generated from schemas/sync-commands.json by scripts/gen-validators.mjs (ajv standalone). Do not edit. */
/* schema+options sha256: 1b8904d18af5951026efd7b8bd553e16ed2e0eb80548577dffc9cefaf6c5e82b */
// @ts-nocheck
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.
const require = createRequire(import.meta.url);

const schema9 = {"title":"DaemonMessage","description":"What the daemon writes on its socket, one JSON object per line: a reply to a request (matched by id) or, on a subscribed connection, an event.","oneOf":[{"$ref":"#/definitions/OkReply"},{"$ref":"#/definitions/ErrorReply"},{"$ref":"#/definitions/DaemonEvent"}]};
const schema10 = {"title":"OkReply","description":"The command was carried out; `result` is the command's result (see CommandResults).","type":"object","additionalProperties":false,"required":["id","ok","result"],"properties":{"id":{"$ref":"#/definitions/replyId"},"ok":{"const":true},"result":{}}};
const schema11 = {"description":"The request's id; null when the request could not be read (not JSON, too long, no id).","anyOf":[{"type":"integer","minimum":0},{"type":"null"}]};

function validate37(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(!(((typeof data == "number") && (!(data % 1) && !isNaN(data))) && (isFinite(data)))){
const err0 = {instancePath,schemaPath:"#/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(errors === _errs1){
if((typeof data == "number") && (isFinite(data))){
if(data < 0 || isNaN(data)){
const err1 = {instancePath,schemaPath:"#/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
if(!valid0){
const _errs3 = errors;
if(data !== null){
const err2 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
}
if(!valid0){
const err3 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
validate37.errors = vErrors;
return false;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate37.errors = vErrors;
return errors === 0;
}


function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.id === undefined) && (missing0 = "id")) || ((data.ok === undefined) && (missing0 = "ok"))) || ((data.result === undefined) && (missing0 = "result"))){
validate36.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "id") || (key0 === "ok")) || (key0 === "result"))){
validate36.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.id !== undefined){
const _errs2 = errors;
if(!(validate37(data.id, {instancePath:instancePath+"/id",parentData:data,parentDataProperty:"id",rootData}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.ok !== undefined){
const _errs3 = errors;
if(true !== data.ok){
validate36.errors = [{instancePath:instancePath+"/ok",schemaPath:"#/properties/ok/const",keyword:"const",params:{allowedValue: true},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate36.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate36.errors = vErrors;
return errors === 0;
}

const schema12 = {"title":"ErrorReply","description":"The command was refused or failed.","type":"object","additionalProperties":false,"required":["id","ok","error"],"properties":{"id":{"$ref":"#/definitions/replyId"},"ok":{"const":false},"error":{"$ref":"#/definitions/ReplyError"}}};
const schema13 = {"title":"ReplyError","type":"object","additionalProperties":false,"required":["code","message","exitCode"],"properties":{"code":{"type":"string","description":"E_PARSE (not JSON), E_INVALID (not a valid command), E_TOO_LARGE, E_USAGE, E_DAEMON, or the failing operation's error code."},"message":{"type":"string","description":"One line for the user."},"exitCode":{"description":"The exit code wl exits with (README, Exit codes).","type":"integer","minimum":0}}};

function validate42(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.code === undefined) && (missing0 = "code")) || ((data.message === undefined) && (missing0 = "message"))) || ((data.exitCode === undefined) && (missing0 = "exitCode"))){
validate42.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "code") || (key0 === "message")) || (key0 === "exitCode"))){
validate42.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.code !== undefined){
const _errs2 = errors;
if(typeof data.code !== "string"){
validate42.errors = [{instancePath:instancePath+"/code",schemaPath:"#/properties/code/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.message !== undefined){
const _errs4 = errors;
if(typeof data.message !== "string"){
validate42.errors = [{instancePath:instancePath+"/message",schemaPath:"#/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.exitCode !== undefined){
let data2 = data.exitCode;
const _errs6 = errors;
if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){
validate42.errors = [{instancePath:instancePath+"/exitCode",schemaPath:"#/properties/exitCode/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs6){
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 < 0 || isNaN(data2)){
validate42.errors = [{instancePath:instancePath+"/exitCode",schemaPath:"#/properties/exitCode/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid0 = _errs6 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
else {
validate42.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate42.errors = vErrors;
return errors === 0;
}


function validate40(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.id === undefined) && (missing0 = "id")) || ((data.ok === undefined) && (missing0 = "ok"))) || ((data.error === undefined) && (missing0 = "error"))){
validate40.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "id") || (key0 === "ok")) || (key0 === "error"))){
validate40.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.id !== undefined){
const _errs2 = errors;
if(!(validate37(data.id, {instancePath:instancePath+"/id",parentData:data,parentDataProperty:"id",rootData}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.ok !== undefined){
const _errs3 = errors;
if(false !== data.ok){
validate40.errors = [{instancePath:instancePath+"/ok",schemaPath:"#/properties/ok/const",keyword:"const",params:{allowedValue: false},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.error !== undefined){
const _errs4 = errors;
if(!(validate42(data.error, {instancePath:instancePath+"/error",parentData:data,parentDataProperty:"error",rootData}))){
vErrors = vErrors === null ? validate42.errors : vErrors.concat(validate42.errors);
errors = vErrors.length;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
else {
validate40.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate40.errors = vErrors;
return errors === 0;
}

const schema14 = {"title":"DaemonEvent","description":"A job's event on a subscribed connection (active-events with subscribe).","type":"object","additionalProperties":false,"required":["event","job","data"],"properties":{"event":{"type":"string","description":"The event's type: state, progress, pass, conflict, error, stopped..."},"job":{"type":"string","description":"The job id (container:source->target)."},"data":{"description":"The event itself (its `type` is `event`)."}}};

function validate45(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.event === undefined) && (missing0 = "event")) || ((data.job === undefined) && (missing0 = "job"))) || ((data.data === undefined) && (missing0 = "data"))){
validate45.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "event") || (key0 === "job")) || (key0 === "data"))){
validate45.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.event !== undefined){
const _errs2 = errors;
if(typeof data.event !== "string"){
validate45.errors = [{instancePath:instancePath+"/event",schemaPath:"#/properties/event/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.job !== undefined){
const _errs4 = errors;
if(typeof data.job !== "string"){
validate45.errors = [{instancePath:instancePath+"/job",schemaPath:"#/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate45.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate45.errors = vErrors;
return errors === 0;
}


function validate35(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(!(validate36(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
errors = vErrors.length;
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs2 = errors;
if(!(validate40(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate40.errors : vErrors.concat(validate40.errors);
errors = vErrors.length;
}
var _valid0 = _errs2 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
}
const _errs3 = errors;
if(!(validate45(data, {instancePath,parentData,parentDataProperty,rootData}))){
vErrors = vErrors === null ? validate45.errors : vErrors.concat(validate45.errors);
errors = vErrors.length;
}
var _valid0 = _errs3 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 2];
}
else {
if(_valid0){
valid0 = true;
passing0 = 2;
}
}
}
if(!valid0){
const err0 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
validate35.errors = vErrors;
return false;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate35.errors = vErrors;
return errors === 0;
}



function validate47(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.id === undefined) && (missing0 = "id")) || ((data.ok === undefined) && (missing0 = "ok"))) || ((data.result === undefined) && (missing0 = "result"))){
validate47.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "id") || (key0 === "ok")) || (key0 === "result"))){
validate47.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.id !== undefined){
const _errs2 = errors;
if(!(validate37(data.id, {instancePath:instancePath+"/id",parentData:data,parentDataProperty:"id",rootData}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.ok !== undefined){
const _errs3 = errors;
if(true !== data.ok){
validate47.errors = [{instancePath:instancePath+"/ok",schemaPath:"#/properties/ok/const",keyword:"const",params:{allowedValue: true},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate47.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate47.errors = vErrors;
return errors === 0;
}



function validate49(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.id === undefined) && (missing0 = "id")) || ((data.ok === undefined) && (missing0 = "ok"))) || ((data.error === undefined) && (missing0 = "error"))){
validate49.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "id") || (key0 === "ok")) || (key0 === "error"))){
validate49.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.id !== undefined){
const _errs2 = errors;
if(!(validate37(data.id, {instancePath:instancePath+"/id",parentData:data,parentDataProperty:"id",rootData}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.ok !== undefined){
const _errs3 = errors;
if(false !== data.ok){
validate49.errors = [{instancePath:instancePath+"/ok",schemaPath:"#/properties/ok/const",keyword:"const",params:{allowedValue: false},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.error !== undefined){
const _errs4 = errors;
if(!(validate42(data.error, {instancePath:instancePath+"/error",parentData:data,parentDataProperty:"error",rootData}))){
vErrors = vErrors === null ? validate42.errors : vErrors.concat(validate42.errors);
errors = vErrors.length;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
else {
validate49.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate49.errors = vErrors;
return errors === 0;
}



function validate52(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.event === undefined) && (missing0 = "event")) || ((data.job === undefined) && (missing0 = "job"))) || ((data.data === undefined) && (missing0 = "data"))){
validate52.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "event") || (key0 === "job")) || (key0 === "data"))){
validate52.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.event !== undefined){
const _errs2 = errors;
if(typeof data.event !== "string"){
validate52.errors = [{instancePath:instancePath+"/event",schemaPath:"#/properties/event/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.job !== undefined){
const _errs4 = errors;
if(typeof data.job !== "string"){
validate52.errors = [{instancePath:instancePath+"/job",schemaPath:"#/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate52.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate52.errors = vErrors;
return errors === 0;
}


const schema18 = {"title":"StartResult","description":"A job started (`result`: its initial pass), or found running already (no `result`).","type":"object","required":["job","alreadyRunning","status"],"properties":{"job":{"type":"string"},"alreadyRunning":{"type":"boolean"},"warnings":{"type":"array","items":{"type":"string"},"description":"About the start (storages, syncer choice)."},"result":{"$ref":"#/definitions/PassSummary"},"status":{"$ref":"#/definitions/JobStatus"}}};
const schema19 = {"title":"PassSummary","description":"A pass's result for the wire (the plugin API's SyncResult with the plan's actions and conflicts counted, not listed). Counters, conflicts and errors have the plugin API's types.","type":"object","required":["source","target","syncer","direction","dryRun","plan","counters","conflicts","errors","warnings","durationMs"],"properties":{"source":{"type":"string"},"target":{"type":"string"},"syncer":{"type":"string"},"direction":{"enum":["two-way","one-way"]},"dryRun":{"type":"boolean"},"plan":{"type":"object","additionalProperties":false,"required":["actions","conflicts"],"properties":{"actions":{"type":"integer","minimum":0},"conflicts":{"type":"integer","minimum":0}}},"counters":{"type":"object","tsType":"SyncCounters"},"conflicts":{"type":"array","items":{"type":"object"},"tsType":"Conflict[]"},"errors":{"type":"array","items":{"type":"object"},"tsType":"ItemError[]"},"warnings":{"type":"array","items":{"type":"string"}},"durationMs":{"type":"number","description":"Milliseconds."},"resolved":{"type":"array","items":{"type":"object"},"tsType":"ResolvedConflict[]","description":"Conflicts the pass settled by a policy."}}};

function validate54(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((((((((((data.source === undefined) && (missing0 = "source")) || ((data.target === undefined) && (missing0 = "target"))) || ((data.syncer === undefined) && (missing0 = "syncer"))) || ((data.direction === undefined) && (missing0 = "direction"))) || ((data.dryRun === undefined) && (missing0 = "dryRun"))) || ((data.plan === undefined) && (missing0 = "plan"))) || ((data.counters === undefined) && (missing0 = "counters"))) || ((data.conflicts === undefined) && (missing0 = "conflicts"))) || ((data.errors === undefined) && (missing0 = "errors"))) || ((data.warnings === undefined) && (missing0 = "warnings"))) || ((data.durationMs === undefined) && (missing0 = "durationMs"))){
validate54.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.source !== undefined){
const _errs1 = errors;
if(typeof data.source !== "string"){
validate54.errors = [{instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.target !== undefined){
const _errs3 = errors;
if(typeof data.target !== "string"){
validate54.errors = [{instancePath:instancePath+"/target",schemaPath:"#/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.syncer !== undefined){
const _errs5 = errors;
if(typeof data.syncer !== "string"){
validate54.errors = [{instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.direction !== undefined){
let data3 = data.direction;
const _errs7 = errors;
if(!((data3 === "two-way") || (data3 === "one-way"))){
validate54.errors = [{instancePath:instancePath+"/direction",schemaPath:"#/properties/direction/enum",keyword:"enum",params:{allowedValues: schema19.properties.direction.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.dryRun !== undefined){
const _errs8 = errors;
if(typeof data.dryRun !== "boolean"){
validate54.errors = [{instancePath:instancePath+"/dryRun",schemaPath:"#/properties/dryRun/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs8 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.plan !== undefined){
let data5 = data.plan;
const _errs10 = errors;
if(errors === _errs10){
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
let missing1;
if(((data5.actions === undefined) && (missing1 = "actions")) || ((data5.conflicts === undefined) && (missing1 = "conflicts"))){
validate54.errors = [{instancePath:instancePath+"/plan",schemaPath:"#/properties/plan/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key0 in data5){
if(!((key0 === "actions") || (key0 === "conflicts"))){
validate54.errors = [{instancePath:instancePath+"/plan",schemaPath:"#/properties/plan/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data5.actions !== undefined){
let data6 = data5.actions;
const _errs13 = errors;
if(!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))){
validate54.errors = [{instancePath:instancePath+"/plan/actions",schemaPath:"#/properties/plan/properties/actions/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs13){
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 < 0 || isNaN(data6)){
validate54.errors = [{instancePath:instancePath+"/plan/actions",schemaPath:"#/properties/plan/properties/actions/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid1 = _errs13 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data5.conflicts !== undefined){
let data7 = data5.conflicts;
const _errs15 = errors;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
validate54.errors = [{instancePath:instancePath+"/plan/conflicts",schemaPath:"#/properties/plan/properties/conflicts/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs15){
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 < 0 || isNaN(data7)){
validate54.errors = [{instancePath:instancePath+"/plan/conflicts",schemaPath:"#/properties/plan/properties/conflicts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid1 = _errs15 === errors;
}
else {
var valid1 = true;
}
}
}
}
}
else {
validate54.errors = [{instancePath:instancePath+"/plan",schemaPath:"#/properties/plan/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs10 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.counters !== undefined){
let data8 = data.counters;
const _errs17 = errors;
if(!(data8 && typeof data8 == "object" && !Array.isArray(data8))){
validate54.errors = [{instancePath:instancePath+"/counters",schemaPath:"#/properties/counters/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid0 = _errs17 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.conflicts !== undefined){
let data9 = data.conflicts;
const _errs19 = errors;
if(errors === _errs19){
if(Array.isArray(data9)){
var valid2 = true;
const len0 = data9.length;
for(let i0=0; i0<len0; i0++){
let data10 = data9[i0];
const _errs21 = errors;
if(!(data10 && typeof data10 == "object" && !Array.isArray(data10))){
validate54.errors = [{instancePath:instancePath+"/conflicts/" + i0,schemaPath:"#/properties/conflicts/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid2 = _errs21 === errors;
if(!valid2){
break;
}
}
}
else {
validate54.errors = [{instancePath:instancePath+"/conflicts",schemaPath:"#/properties/conflicts/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs19 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.errors !== undefined){
let data11 = data.errors;
const _errs23 = errors;
if(errors === _errs23){
if(Array.isArray(data11)){
var valid3 = true;
const len1 = data11.length;
for(let i1=0; i1<len1; i1++){
let data12 = data11[i1];
const _errs25 = errors;
if(!(data12 && typeof data12 == "object" && !Array.isArray(data12))){
validate54.errors = [{instancePath:instancePath+"/errors/" + i1,schemaPath:"#/properties/errors/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid3 = _errs25 === errors;
if(!valid3){
break;
}
}
}
else {
validate54.errors = [{instancePath:instancePath+"/errors",schemaPath:"#/properties/errors/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs23 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.warnings !== undefined){
let data13 = data.warnings;
const _errs27 = errors;
if(errors === _errs27){
if(Array.isArray(data13)){
var valid4 = true;
const len2 = data13.length;
for(let i2=0; i2<len2; i2++){
const _errs29 = errors;
if(typeof data13[i2] !== "string"){
validate54.errors = [{instancePath:instancePath+"/warnings/" + i2,schemaPath:"#/properties/warnings/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs29 === errors;
if(!valid4){
break;
}
}
}
else {
validate54.errors = [{instancePath:instancePath+"/warnings",schemaPath:"#/properties/warnings/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs27 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.durationMs !== undefined){
let data15 = data.durationMs;
const _errs31 = errors;
if(!((typeof data15 == "number") && (isFinite(data15)))){
validate54.errors = [{instancePath:instancePath+"/durationMs",schemaPath:"#/properties/durationMs/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
var valid0 = _errs31 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.resolved !== undefined){
let data16 = data.resolved;
const _errs33 = errors;
if(errors === _errs33){
if(Array.isArray(data16)){
var valid5 = true;
const len3 = data16.length;
for(let i3=0; i3<len3; i3++){
let data17 = data16[i3];
const _errs35 = errors;
if(!(data17 && typeof data17 == "object" && !Array.isArray(data17))){
validate54.errors = [{instancePath:instancePath+"/resolved/" + i3,schemaPath:"#/properties/resolved/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid5 = _errs35 === errors;
if(!valid5){
break;
}
}
}
else {
validate54.errors = [{instancePath:instancePath+"/resolved",schemaPath:"#/properties/resolved/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs33 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate54.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate54.errors = vErrors;
return errors === 0;
}

const schema20 = {"title":"JobStatus","description":"A continuous job as the daemon sees it.","type":"object","required":["id","container","config","source","target","direction","syncer","state","current","passes","counters","conflicts","errors","lastError","startedAt","lastPassAt","lastCleanPassAt","queued","paused","notes","watchers"],"properties":{"id":{"type":"string","description":"container:source->target."},"container":{"type":"string"},"config":{"type":"string","description":"Absolute path of the config file."},"source":{"type":"string"},"target":{"type":"string"},"direction":{"enum":["two-way","one-way"]},"syncer":{"type":"string"},"state":{"type":"string","description":"starting, syncing, idle, paused, waiting, error, stopped..."},"current":{"description":"The item being transferred right now, if any.","type":["string","null"]},"passes":{"type":"integer","minimum":0},"counters":{"type":"object","tsType":"SyncCounters"},"conflicts":{"type":"array","items":{"type":"object"},"tsType":"Conflict[]"},"errors":{"type":"array","items":{"type":"object"},"tsType":"ItemError[]","description":"Current item errors, one per path, until a pass gets the path through (failed items are retried with a backoff)."},"lastError":{"type":["string","null"]},"startedAt":{"type":"string","description":"ISO time."},"lastPassAt":{"description":"When the last pass finished (ISO time).","type":["string","null"]},"lastCleanPassAt":{"description":"When the last pass without item errors finished (ISO time).","type":["string","null"]},"queued":{"description":"Changes reported and not yet synced, plus failed items waiting for their retry.","type":"integer","minimum":0},"paused":{"description":"Set while the job does not sync.","anyOf":[{"$ref":"#/definitions/PauseInfo"},{"type":"null"}]},"notes":{"type":"array","items":{"type":"string"},"description":"What the daemon did to the job on its own (restarted on a config change...), newest last."},"watchers":{"description":"Which watcher serves each side (kernel events or polling).","type":"object","required":["source","target"],"properties":{"source":{"type":"string"},"target":{"type":"string"}}}}};
const schema21 = {"title":"PauseInfo","description":"Why a job does not sync, and how to release it.","type":"object","required":["kind","reason","since","release"],"properties":{"kind":{"enum":["gate","storage","identity"]},"reason":{"type":"string"},"since":{"type":"string","description":"ISO time."},"release":{"type":"array","items":{"type":"string"},"description":"Commands that release the pause."}}};

function validate57(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.kind === undefined) && (missing0 = "kind")) || ((data.reason === undefined) && (missing0 = "reason"))) || ((data.since === undefined) && (missing0 = "since"))) || ((data.release === undefined) && (missing0 = "release"))){
validate57.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.kind !== undefined){
let data0 = data.kind;
const _errs1 = errors;
if(!(((data0 === "gate") || (data0 === "storage")) || (data0 === "identity"))){
validate57.errors = [{instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/enum",keyword:"enum",params:{allowedValues: schema21.properties.kind.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.reason !== undefined){
const _errs2 = errors;
if(typeof data.reason !== "string"){
validate57.errors = [{instancePath:instancePath+"/reason",schemaPath:"#/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.since !== undefined){
const _errs4 = errors;
if(typeof data.since !== "string"){
validate57.errors = [{instancePath:instancePath+"/since",schemaPath:"#/properties/since/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.release !== undefined){
let data3 = data.release;
const _errs6 = errors;
if(errors === _errs6){
if(Array.isArray(data3)){
var valid1 = true;
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
const _errs8 = errors;
if(typeof data3[i0] !== "string"){
validate57.errors = [{instancePath:instancePath+"/release/" + i0,schemaPath:"#/properties/release/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs8 === errors;
if(!valid1){
break;
}
}
}
else {
validate57.errors = [{instancePath:instancePath+"/release",schemaPath:"#/properties/release/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs6 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
else {
validate57.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate57.errors = vErrors;
return errors === 0;
}


function validate56(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((((((((((((((((((((data.id === undefined) && (missing0 = "id")) || ((data.container === undefined) && (missing0 = "container"))) || ((data.config === undefined) && (missing0 = "config"))) || ((data.source === undefined) && (missing0 = "source"))) || ((data.target === undefined) && (missing0 = "target"))) || ((data.direction === undefined) && (missing0 = "direction"))) || ((data.syncer === undefined) && (missing0 = "syncer"))) || ((data.state === undefined) && (missing0 = "state"))) || ((data.current === undefined) && (missing0 = "current"))) || ((data.passes === undefined) && (missing0 = "passes"))) || ((data.counters === undefined) && (missing0 = "counters"))) || ((data.conflicts === undefined) && (missing0 = "conflicts"))) || ((data.errors === undefined) && (missing0 = "errors"))) || ((data.lastError === undefined) && (missing0 = "lastError"))) || ((data.startedAt === undefined) && (missing0 = "startedAt"))) || ((data.lastPassAt === undefined) && (missing0 = "lastPassAt"))) || ((data.lastCleanPassAt === undefined) && (missing0 = "lastCleanPassAt"))) || ((data.queued === undefined) && (missing0 = "queued"))) || ((data.paused === undefined) && (missing0 = "paused"))) || ((data.notes === undefined) && (missing0 = "notes"))) || ((data.watchers === undefined) && (missing0 = "watchers"))){
validate56.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.id !== undefined){
const _errs1 = errors;
if(typeof data.id !== "string"){
validate56.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.container !== undefined){
const _errs3 = errors;
if(typeof data.container !== "string"){
validate56.errors = [{instancePath:instancePath+"/container",schemaPath:"#/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.config !== undefined){
const _errs5 = errors;
if(typeof data.config !== "string"){
validate56.errors = [{instancePath:instancePath+"/config",schemaPath:"#/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.source !== undefined){
const _errs7 = errors;
if(typeof data.source !== "string"){
validate56.errors = [{instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.target !== undefined){
const _errs9 = errors;
if(typeof data.target !== "string"){
validate56.errors = [{instancePath:instancePath+"/target",schemaPath:"#/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.direction !== undefined){
let data5 = data.direction;
const _errs11 = errors;
if(!((data5 === "two-way") || (data5 === "one-way"))){
validate56.errors = [{instancePath:instancePath+"/direction",schemaPath:"#/properties/direction/enum",keyword:"enum",params:{allowedValues: schema20.properties.direction.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs11 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.syncer !== undefined){
const _errs12 = errors;
if(typeof data.syncer !== "string"){
validate56.errors = [{instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs12 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.state !== undefined){
const _errs14 = errors;
if(typeof data.state !== "string"){
validate56.errors = [{instancePath:instancePath+"/state",schemaPath:"#/properties/state/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs14 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.current !== undefined){
let data8 = data.current;
const _errs16 = errors;
if((typeof data8 !== "string") && (data8 !== null)){
validate56.errors = [{instancePath:instancePath+"/current",schemaPath:"#/properties/current/type",keyword:"type",params:{type: schema20.properties.current.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs16 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.passes !== undefined){
let data9 = data.passes;
const _errs18 = errors;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
validate56.errors = [{instancePath:instancePath+"/passes",schemaPath:"#/properties/passes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs18){
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 < 0 || isNaN(data9)){
validate56.errors = [{instancePath:instancePath+"/passes",schemaPath:"#/properties/passes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid0 = _errs18 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.counters !== undefined){
let data10 = data.counters;
const _errs20 = errors;
if(!(data10 && typeof data10 == "object" && !Array.isArray(data10))){
validate56.errors = [{instancePath:instancePath+"/counters",schemaPath:"#/properties/counters/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid0 = _errs20 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.conflicts !== undefined){
let data11 = data.conflicts;
const _errs22 = errors;
if(errors === _errs22){
if(Array.isArray(data11)){
var valid1 = true;
const len0 = data11.length;
for(let i0=0; i0<len0; i0++){
let data12 = data11[i0];
const _errs24 = errors;
if(!(data12 && typeof data12 == "object" && !Array.isArray(data12))){
validate56.errors = [{instancePath:instancePath+"/conflicts/" + i0,schemaPath:"#/properties/conflicts/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid1 = _errs24 === errors;
if(!valid1){
break;
}
}
}
else {
validate56.errors = [{instancePath:instancePath+"/conflicts",schemaPath:"#/properties/conflicts/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs22 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.errors !== undefined){
let data13 = data.errors;
const _errs26 = errors;
if(errors === _errs26){
if(Array.isArray(data13)){
var valid2 = true;
const len1 = data13.length;
for(let i1=0; i1<len1; i1++){
let data14 = data13[i1];
const _errs28 = errors;
if(!(data14 && typeof data14 == "object" && !Array.isArray(data14))){
validate56.errors = [{instancePath:instancePath+"/errors/" + i1,schemaPath:"#/properties/errors/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid2 = _errs28 === errors;
if(!valid2){
break;
}
}
}
else {
validate56.errors = [{instancePath:instancePath+"/errors",schemaPath:"#/properties/errors/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs26 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastError !== undefined){
let data15 = data.lastError;
const _errs30 = errors;
if((typeof data15 !== "string") && (data15 !== null)){
validate56.errors = [{instancePath:instancePath+"/lastError",schemaPath:"#/properties/lastError/type",keyword:"type",params:{type: schema20.properties.lastError.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs30 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.startedAt !== undefined){
const _errs32 = errors;
if(typeof data.startedAt !== "string"){
validate56.errors = [{instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs32 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastPassAt !== undefined){
let data17 = data.lastPassAt;
const _errs34 = errors;
if((typeof data17 !== "string") && (data17 !== null)){
validate56.errors = [{instancePath:instancePath+"/lastPassAt",schemaPath:"#/properties/lastPassAt/type",keyword:"type",params:{type: schema20.properties.lastPassAt.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs34 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastCleanPassAt !== undefined){
let data18 = data.lastCleanPassAt;
const _errs36 = errors;
if((typeof data18 !== "string") && (data18 !== null)){
validate56.errors = [{instancePath:instancePath+"/lastCleanPassAt",schemaPath:"#/properties/lastCleanPassAt/type",keyword:"type",params:{type: schema20.properties.lastCleanPassAt.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs36 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.queued !== undefined){
let data19 = data.queued;
const _errs38 = errors;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
validate56.errors = [{instancePath:instancePath+"/queued",schemaPath:"#/properties/queued/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs38){
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 < 0 || isNaN(data19)){
validate56.errors = [{instancePath:instancePath+"/queued",schemaPath:"#/properties/queued/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid0 = _errs38 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.paused !== undefined){
let data20 = data.paused;
const _errs40 = errors;
const _errs41 = errors;
let valid3 = false;
const _errs42 = errors;
if(!(validate57(data20, {instancePath:instancePath+"/paused",parentData:data,parentDataProperty:"paused",rootData}))){
vErrors = vErrors === null ? validate57.errors : vErrors.concat(validate57.errors);
errors = vErrors.length;
}
var _valid0 = _errs42 === errors;
valid3 = valid3 || _valid0;
if(!valid3){
const _errs43 = errors;
if(data20 !== null){
const err0 = {instancePath:instancePath+"/paused",schemaPath:"#/properties/paused/anyOf/1/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs43 === errors;
valid3 = valid3 || _valid0;
}
if(!valid3){
const err1 = {instancePath:instancePath+"/paused",schemaPath:"#/properties/paused/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
validate56.errors = vErrors;
return false;
}
else {
errors = _errs41;
if(vErrors !== null){
if(_errs41){
vErrors.length = _errs41;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs40 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.notes !== undefined){
let data21 = data.notes;
const _errs45 = errors;
if(errors === _errs45){
if(Array.isArray(data21)){
var valid4 = true;
const len2 = data21.length;
for(let i2=0; i2<len2; i2++){
const _errs47 = errors;
if(typeof data21[i2] !== "string"){
validate56.errors = [{instancePath:instancePath+"/notes/" + i2,schemaPath:"#/properties/notes/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs47 === errors;
if(!valid4){
break;
}
}
}
else {
validate56.errors = [{instancePath:instancePath+"/notes",schemaPath:"#/properties/notes/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs45 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.watchers !== undefined){
let data23 = data.watchers;
const _errs49 = errors;
if(errors === _errs49){
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
let missing1;
if(((data23.source === undefined) && (missing1 = "source")) || ((data23.target === undefined) && (missing1 = "target"))){
validate56.errors = [{instancePath:instancePath+"/watchers",schemaPath:"#/properties/watchers/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
if(data23.source !== undefined){
const _errs51 = errors;
if(typeof data23.source !== "string"){
validate56.errors = [{instancePath:instancePath+"/watchers/source",schemaPath:"#/properties/watchers/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs51 === errors;
}
else {
var valid5 = true;
}
if(valid5){
if(data23.target !== undefined){
const _errs53 = errors;
if(typeof data23.target !== "string"){
validate56.errors = [{instancePath:instancePath+"/watchers/target",schemaPath:"#/properties/watchers/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs53 === errors;
}
else {
var valid5 = true;
}
}
}
}
else {
validate56.errors = [{instancePath:instancePath+"/watchers",schemaPath:"#/properties/watchers/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs49 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate56.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate56.errors = vErrors;
return errors === 0;
}


function validate53(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((data.job === undefined) && (missing0 = "job")) || ((data.alreadyRunning === undefined) && (missing0 = "alreadyRunning"))) || ((data.status === undefined) && (missing0 = "status"))){
validate53.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.job !== undefined){
const _errs1 = errors;
if(typeof data.job !== "string"){
validate53.errors = [{instancePath:instancePath+"/job",schemaPath:"#/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.alreadyRunning !== undefined){
const _errs3 = errors;
if(typeof data.alreadyRunning !== "boolean"){
validate53.errors = [{instancePath:instancePath+"/alreadyRunning",schemaPath:"#/properties/alreadyRunning/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.warnings !== undefined){
let data2 = data.warnings;
const _errs5 = errors;
if(errors === _errs5){
if(Array.isArray(data2)){
var valid1 = true;
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
const _errs7 = errors;
if(typeof data2[i0] !== "string"){
validate53.errors = [{instancePath:instancePath+"/warnings/" + i0,schemaPath:"#/properties/warnings/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs7 === errors;
if(!valid1){
break;
}
}
}
else {
validate53.errors = [{instancePath:instancePath+"/warnings",schemaPath:"#/properties/warnings/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.result !== undefined){
const _errs9 = errors;
if(!(validate54(data.result, {instancePath:instancePath+"/result",parentData:data,parentDataProperty:"result",rootData}))){
vErrors = vErrors === null ? validate54.errors : vErrors.concat(validate54.errors);
errors = vErrors.length;
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.status !== undefined){
const _errs10 = errors;
if(!(validate56(data.status, {instancePath:instancePath+"/status",parentData:data,parentDataProperty:"status",rootData}))){
vErrors = vErrors === null ? validate56.errors : vErrors.concat(validate56.errors);
errors = vErrors.length;
}
var valid0 = _errs10 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate53.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate53.errors = vErrors;
return errors === 0;
}


const schema22 = {"title":"StopResult","type":"object","required":["stopped"],"properties":{"stopped":{"type":"array","items":{"type":"string"},"description":"Ids of the jobs stopped."}}};

function validate60(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.stopped === undefined) && (missing0 = "stopped")){
validate60.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.stopped !== undefined){
let data0 = data.stopped;
const _errs1 = errors;
if(errors === _errs1){
if(Array.isArray(data0)){
var valid1 = true;
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
const _errs3 = errors;
if(typeof data0[i0] !== "string"){
validate60.errors = [{instancePath:instancePath+"/stopped/" + i0,schemaPath:"#/properties/stopped/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs3 === errors;
if(!valid1){
break;
}
}
}
else {
validate60.errors = [{instancePath:instancePath+"/stopped",schemaPath:"#/properties/stopped/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
}
}
}
else {
validate60.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate60.errors = vErrors;
return errors === 0;
}


const schema23 = {"title":"StatusResult","description":"The daemon and its jobs.","type":"object","required":["pid","socket","startedAt","jobs"],"properties":{"pid":{"type":"integer"},"socket":{"type":"string"},"startedAt":{"type":"string","description":"ISO time."},"notes":{"type":"array","items":{"type":"string"},"description":"What the daemon did after re-reading the client's config (jobs restarted or stopped)."},"jobs":{"type":"array","items":{"$ref":"#/definitions/JobStatus"}}}};

function validate61(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.pid === undefined) && (missing0 = "pid")) || ((data.socket === undefined) && (missing0 = "socket"))) || ((data.startedAt === undefined) && (missing0 = "startedAt"))) || ((data.jobs === undefined) && (missing0 = "jobs"))){
validate61.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.pid !== undefined){
let data0 = data.pid;
const _errs1 = errors;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
validate61.errors = [{instancePath:instancePath+"/pid",schemaPath:"#/properties/pid/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.socket !== undefined){
const _errs3 = errors;
if(typeof data.socket !== "string"){
validate61.errors = [{instancePath:instancePath+"/socket",schemaPath:"#/properties/socket/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.startedAt !== undefined){
const _errs5 = errors;
if(typeof data.startedAt !== "string"){
validate61.errors = [{instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.notes !== undefined){
let data3 = data.notes;
const _errs7 = errors;
if(errors === _errs7){
if(Array.isArray(data3)){
var valid1 = true;
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
const _errs9 = errors;
if(typeof data3[i0] !== "string"){
validate61.errors = [{instancePath:instancePath+"/notes/" + i0,schemaPath:"#/properties/notes/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs9 === errors;
if(!valid1){
break;
}
}
}
else {
validate61.errors = [{instancePath:instancePath+"/notes",schemaPath:"#/properties/notes/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.jobs !== undefined){
let data5 = data.jobs;
const _errs11 = errors;
if(errors === _errs11){
if(Array.isArray(data5)){
var valid2 = true;
const len1 = data5.length;
for(let i1=0; i1<len1; i1++){
const _errs13 = errors;
if(!(validate56(data5[i1], {instancePath:instancePath+"/jobs/" + i1,parentData:data5,parentDataProperty:i1,rootData}))){
vErrors = vErrors === null ? validate56.errors : vErrors.concat(validate56.errors);
errors = vErrors.length;
}
var valid2 = _errs13 === errors;
if(!valid2){
break;
}
}
}
else {
validate61.errors = [{instancePath:instancePath+"/jobs",schemaPath:"#/properties/jobs/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs11 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate61.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate61.errors = vErrors;
return errors === 0;
}



function validate63(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((((((((((((((((((((data.id === undefined) && (missing0 = "id")) || ((data.container === undefined) && (missing0 = "container"))) || ((data.config === undefined) && (missing0 = "config"))) || ((data.source === undefined) && (missing0 = "source"))) || ((data.target === undefined) && (missing0 = "target"))) || ((data.direction === undefined) && (missing0 = "direction"))) || ((data.syncer === undefined) && (missing0 = "syncer"))) || ((data.state === undefined) && (missing0 = "state"))) || ((data.current === undefined) && (missing0 = "current"))) || ((data.passes === undefined) && (missing0 = "passes"))) || ((data.counters === undefined) && (missing0 = "counters"))) || ((data.conflicts === undefined) && (missing0 = "conflicts"))) || ((data.errors === undefined) && (missing0 = "errors"))) || ((data.lastError === undefined) && (missing0 = "lastError"))) || ((data.startedAt === undefined) && (missing0 = "startedAt"))) || ((data.lastPassAt === undefined) && (missing0 = "lastPassAt"))) || ((data.lastCleanPassAt === undefined) && (missing0 = "lastCleanPassAt"))) || ((data.queued === undefined) && (missing0 = "queued"))) || ((data.paused === undefined) && (missing0 = "paused"))) || ((data.notes === undefined) && (missing0 = "notes"))) || ((data.watchers === undefined) && (missing0 = "watchers"))){
validate63.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.id !== undefined){
const _errs1 = errors;
if(typeof data.id !== "string"){
validate63.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.container !== undefined){
const _errs3 = errors;
if(typeof data.container !== "string"){
validate63.errors = [{instancePath:instancePath+"/container",schemaPath:"#/properties/container/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.config !== undefined){
const _errs5 = errors;
if(typeof data.config !== "string"){
validate63.errors = [{instancePath:instancePath+"/config",schemaPath:"#/properties/config/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.source !== undefined){
const _errs7 = errors;
if(typeof data.source !== "string"){
validate63.errors = [{instancePath:instancePath+"/source",schemaPath:"#/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.target !== undefined){
const _errs9 = errors;
if(typeof data.target !== "string"){
validate63.errors = [{instancePath:instancePath+"/target",schemaPath:"#/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.direction !== undefined){
let data5 = data.direction;
const _errs11 = errors;
if(!((data5 === "two-way") || (data5 === "one-way"))){
validate63.errors = [{instancePath:instancePath+"/direction",schemaPath:"#/properties/direction/enum",keyword:"enum",params:{allowedValues: schema20.properties.direction.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs11 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.syncer !== undefined){
const _errs12 = errors;
if(typeof data.syncer !== "string"){
validate63.errors = [{instancePath:instancePath+"/syncer",schemaPath:"#/properties/syncer/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs12 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.state !== undefined){
const _errs14 = errors;
if(typeof data.state !== "string"){
validate63.errors = [{instancePath:instancePath+"/state",schemaPath:"#/properties/state/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs14 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.current !== undefined){
let data8 = data.current;
const _errs16 = errors;
if((typeof data8 !== "string") && (data8 !== null)){
validate63.errors = [{instancePath:instancePath+"/current",schemaPath:"#/properties/current/type",keyword:"type",params:{type: schema20.properties.current.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs16 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.passes !== undefined){
let data9 = data.passes;
const _errs18 = errors;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
validate63.errors = [{instancePath:instancePath+"/passes",schemaPath:"#/properties/passes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs18){
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 < 0 || isNaN(data9)){
validate63.errors = [{instancePath:instancePath+"/passes",schemaPath:"#/properties/passes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid0 = _errs18 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.counters !== undefined){
let data10 = data.counters;
const _errs20 = errors;
if(!(data10 && typeof data10 == "object" && !Array.isArray(data10))){
validate63.errors = [{instancePath:instancePath+"/counters",schemaPath:"#/properties/counters/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid0 = _errs20 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.conflicts !== undefined){
let data11 = data.conflicts;
const _errs22 = errors;
if(errors === _errs22){
if(Array.isArray(data11)){
var valid1 = true;
const len0 = data11.length;
for(let i0=0; i0<len0; i0++){
let data12 = data11[i0];
const _errs24 = errors;
if(!(data12 && typeof data12 == "object" && !Array.isArray(data12))){
validate63.errors = [{instancePath:instancePath+"/conflicts/" + i0,schemaPath:"#/properties/conflicts/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid1 = _errs24 === errors;
if(!valid1){
break;
}
}
}
else {
validate63.errors = [{instancePath:instancePath+"/conflicts",schemaPath:"#/properties/conflicts/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs22 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.errors !== undefined){
let data13 = data.errors;
const _errs26 = errors;
if(errors === _errs26){
if(Array.isArray(data13)){
var valid2 = true;
const len1 = data13.length;
for(let i1=0; i1<len1; i1++){
let data14 = data13[i1];
const _errs28 = errors;
if(!(data14 && typeof data14 == "object" && !Array.isArray(data14))){
validate63.errors = [{instancePath:instancePath+"/errors/" + i1,schemaPath:"#/properties/errors/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid2 = _errs28 === errors;
if(!valid2){
break;
}
}
}
else {
validate63.errors = [{instancePath:instancePath+"/errors",schemaPath:"#/properties/errors/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs26 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastError !== undefined){
let data15 = data.lastError;
const _errs30 = errors;
if((typeof data15 !== "string") && (data15 !== null)){
validate63.errors = [{instancePath:instancePath+"/lastError",schemaPath:"#/properties/lastError/type",keyword:"type",params:{type: schema20.properties.lastError.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs30 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.startedAt !== undefined){
const _errs32 = errors;
if(typeof data.startedAt !== "string"){
validate63.errors = [{instancePath:instancePath+"/startedAt",schemaPath:"#/properties/startedAt/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs32 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastPassAt !== undefined){
let data17 = data.lastPassAt;
const _errs34 = errors;
if((typeof data17 !== "string") && (data17 !== null)){
validate63.errors = [{instancePath:instancePath+"/lastPassAt",schemaPath:"#/properties/lastPassAt/type",keyword:"type",params:{type: schema20.properties.lastPassAt.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs34 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.lastCleanPassAt !== undefined){
let data18 = data.lastCleanPassAt;
const _errs36 = errors;
if((typeof data18 !== "string") && (data18 !== null)){
validate63.errors = [{instancePath:instancePath+"/lastCleanPassAt",schemaPath:"#/properties/lastCleanPassAt/type",keyword:"type",params:{type: schema20.properties.lastCleanPassAt.type},message:"must be string,null"}];
return false;
}
var valid0 = _errs36 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.queued !== undefined){
let data19 = data.queued;
const _errs38 = errors;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
validate63.errors = [{instancePath:instancePath+"/queued",schemaPath:"#/properties/queued/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs38){
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 < 0 || isNaN(data19)){
validate63.errors = [{instancePath:instancePath+"/queued",schemaPath:"#/properties/queued/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
var valid0 = _errs38 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.paused !== undefined){
let data20 = data.paused;
const _errs40 = errors;
const _errs41 = errors;
let valid3 = false;
const _errs42 = errors;
if(!(validate57(data20, {instancePath:instancePath+"/paused",parentData:data,parentDataProperty:"paused",rootData}))){
vErrors = vErrors === null ? validate57.errors : vErrors.concat(validate57.errors);
errors = vErrors.length;
}
var _valid0 = _errs42 === errors;
valid3 = valid3 || _valid0;
if(!valid3){
const _errs43 = errors;
if(data20 !== null){
const err0 = {instancePath:instancePath+"/paused",schemaPath:"#/properties/paused/anyOf/1/type",keyword:"type",params:{type: "null"},message:"must be null"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs43 === errors;
valid3 = valid3 || _valid0;
}
if(!valid3){
const err1 = {instancePath:instancePath+"/paused",schemaPath:"#/properties/paused/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
validate63.errors = vErrors;
return false;
}
else {
errors = _errs41;
if(vErrors !== null){
if(_errs41){
vErrors.length = _errs41;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs40 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.notes !== undefined){
let data21 = data.notes;
const _errs45 = errors;
if(errors === _errs45){
if(Array.isArray(data21)){
var valid4 = true;
const len2 = data21.length;
for(let i2=0; i2<len2; i2++){
const _errs47 = errors;
if(typeof data21[i2] !== "string"){
validate63.errors = [{instancePath:instancePath+"/notes/" + i2,schemaPath:"#/properties/notes/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs47 === errors;
if(!valid4){
break;
}
}
}
else {
validate63.errors = [{instancePath:instancePath+"/notes",schemaPath:"#/properties/notes/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs45 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.watchers !== undefined){
let data23 = data.watchers;
const _errs49 = errors;
if(errors === _errs49){
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
let missing1;
if(((data23.source === undefined) && (missing1 = "source")) || ((data23.target === undefined) && (missing1 = "target"))){
validate63.errors = [{instancePath:instancePath+"/watchers",schemaPath:"#/properties/watchers/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
if(data23.source !== undefined){
const _errs51 = errors;
if(typeof data23.source !== "string"){
validate63.errors = [{instancePath:instancePath+"/watchers/source",schemaPath:"#/properties/watchers/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs51 === errors;
}
else {
var valid5 = true;
}
if(valid5){
if(data23.target !== undefined){
const _errs53 = errors;
if(typeof data23.target !== "string"){
validate63.errors = [{instancePath:instancePath+"/watchers/target",schemaPath:"#/properties/watchers/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs53 === errors;
}
else {
var valid5 = true;
}
}
}
}
else {
validate63.errors = [{instancePath:instancePath+"/watchers",schemaPath:"#/properties/watchers/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs49 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate63.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate63.errors = vErrors;
return errors === 0;
}


const schema25 = {"title":"ActiveEventsResult","type":"object","required":["subscribed","active"],"properties":{"subscribed":{"type":"boolean"},"active":{"type":"array","items":{"title":"ActiveJob","type":"object","required":["job","state","current"],"properties":{"job":{"type":"string"},"state":{"type":"string"},"current":{"type":["string","null"]}}}}}};

function validate65(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((data.subscribed === undefined) && (missing0 = "subscribed")) || ((data.active === undefined) && (missing0 = "active"))){
validate65.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.subscribed !== undefined){
const _errs1 = errors;
if(typeof data.subscribed !== "boolean"){
validate65.errors = [{instancePath:instancePath+"/subscribed",schemaPath:"#/properties/subscribed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.active !== undefined){
let data1 = data.active;
const _errs3 = errors;
if(errors === _errs3){
if(Array.isArray(data1)){
var valid1 = true;
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
const _errs5 = errors;
if(errors === _errs5){
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
let missing1;
if((((data2.job === undefined) && (missing1 = "job")) || ((data2.state === undefined) && (missing1 = "state"))) || ((data2.current === undefined) && (missing1 = "current"))){
validate65.errors = [{instancePath:instancePath+"/active/" + i0,schemaPath:"#/properties/active/items/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
if(data2.job !== undefined){
const _errs7 = errors;
if(typeof data2.job !== "string"){
validate65.errors = [{instancePath:instancePath+"/active/" + i0+"/job",schemaPath:"#/properties/active/items/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid2 = _errs7 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data2.state !== undefined){
const _errs9 = errors;
if(typeof data2.state !== "string"){
validate65.errors = [{instancePath:instancePath+"/active/" + i0+"/state",schemaPath:"#/properties/active/items/properties/state/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid2 = _errs9 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data2.current !== undefined){
let data5 = data2.current;
const _errs11 = errors;
if((typeof data5 !== "string") && (data5 !== null)){
validate65.errors = [{instancePath:instancePath+"/active/" + i0+"/current",schemaPath:"#/properties/active/items/properties/current/type",keyword:"type",params:{type: schema25.properties.active.items.properties.current.type},message:"must be string,null"}];
return false;
}
var valid2 = _errs11 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
else {
validate65.errors = [{instancePath:instancePath+"/active/" + i0,schemaPath:"#/properties/active/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid1 = _errs5 === errors;
if(!valid1){
break;
}
}
}
else {
validate65.errors = [{instancePath:instancePath+"/active",schemaPath:"#/properties/active/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
}
}
}
else {
validate65.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate65.errors = vErrors;
return errors === 0;
}


const schema26 = {"title":"ResumeResult","type":"object","required":["resumed"],"properties":{"resumed":{"type":"array","items":{"title":"ResumedJob","type":"object","required":["job"],"properties":{"job":{"type":"string"},"result":{"$ref":"#/definitions/PassSummary"},"error":{"type":"string","description":"Why the restart failed (the job stays paused)."}}}}}};

function validate66(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.resumed === undefined) && (missing0 = "resumed")){
validate66.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.resumed !== undefined){
let data0 = data.resumed;
const _errs1 = errors;
if(errors === _errs1){
if(Array.isArray(data0)){
var valid1 = true;
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
const _errs3 = errors;
if(errors === _errs3){
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
let missing1;
if((data1.job === undefined) && (missing1 = "job")){
validate66.errors = [{instancePath:instancePath+"/resumed/" + i0,schemaPath:"#/properties/resumed/items/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
if(data1.job !== undefined){
const _errs5 = errors;
if(typeof data1.job !== "string"){
validate66.errors = [{instancePath:instancePath+"/resumed/" + i0+"/job",schemaPath:"#/properties/resumed/items/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid2 = _errs5 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data1.result !== undefined){
const _errs7 = errors;
if(!(validate54(data1.result, {instancePath:instancePath+"/resumed/" + i0+"/result",parentData:data1,parentDataProperty:"result",rootData}))){
vErrors = vErrors === null ? validate54.errors : vErrors.concat(validate54.errors);
errors = vErrors.length;
}
var valid2 = _errs7 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data1.error !== undefined){
const _errs8 = errors;
if(typeof data1.error !== "string"){
validate66.errors = [{instancePath:instancePath+"/resumed/" + i0+"/error",schemaPath:"#/properties/resumed/items/properties/error/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid2 = _errs8 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
else {
validate66.errors = [{instancePath:instancePath+"/resumed/" + i0,schemaPath:"#/properties/resumed/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid1 = _errs3 === errors;
if(!valid1){
break;
}
}
}
else {
validate66.errors = [{instancePath:instancePath+"/resumed",schemaPath:"#/properties/resumed/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
}
}
}
else {
validate66.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate66.errors = vErrors;
return errors === 0;
}


const schema27 = {"title":"ShutdownResult","type":"object","required":["stopping"],"properties":{"stopping":{"type":"array","items":{"type":"string"},"description":"Ids of the jobs the daemon stops before it exits."}}};

function validate68(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.stopping === undefined) && (missing0 = "stopping")){
validate68.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.stopping !== undefined){
let data0 = data.stopping;
const _errs1 = errors;
if(errors === _errs1){
if(Array.isArray(data0)){
var valid1 = true;
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
const _errs3 = errors;
if(typeof data0[i0] !== "string"){
validate68.errors = [{instancePath:instancePath+"/stopping/" + i0,schemaPath:"#/properties/stopping/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs3 === errors;
if(!valid1){
break;
}
}
}
else {
validate68.errors = [{instancePath:instancePath+"/stopping",schemaPath:"#/properties/stopping/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
}
}
}
else {
validate68.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate68.errors = vErrors;
return errors === 0;
}


const schema28 = {"title":"FlushResult","description":"The daemon's answer to `flush` (`wl container sync --one-shot` for a pair it watches): answered with the pass's result, or not answered with the reason (the client then runs the pass itself).","type":"object","required":["answered"],"properties":{"answered":{"type":"boolean"},"reason":{"type":"string","description":"Why the daemon did not answer (answered: false)."},"result":{"$ref":"#/definitions/PassSummary"},"applied":{"type":"array","items":{"type":"object"},"tsType":"AppliedChange[]","description":"The changes the daemon's passes made for this answer, for -v and --json."},"job":{"type":"string","description":"The id of the job that answered."},"restarted":{"type":"boolean","description":"The job was restarted on a changed config first; its initial pass is part of the result."}}};

function validate69(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.answered === undefined) && (missing0 = "answered")){
validate69.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.answered !== undefined){
const _errs1 = errors;
if(typeof data.answered !== "boolean"){
validate69.errors = [{instancePath:instancePath+"/answered",schemaPath:"#/properties/answered/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.reason !== undefined){
const _errs3 = errors;
if(typeof data.reason !== "string"){
validate69.errors = [{instancePath:instancePath+"/reason",schemaPath:"#/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.result !== undefined){
const _errs5 = errors;
if(!(validate54(data.result, {instancePath:instancePath+"/result",parentData:data,parentDataProperty:"result",rootData}))){
vErrors = vErrors === null ? validate54.errors : vErrors.concat(validate54.errors);
errors = vErrors.length;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.applied !== undefined){
let data3 = data.applied;
const _errs6 = errors;
if(errors === _errs6){
if(Array.isArray(data3)){
var valid1 = true;
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
let data4 = data3[i0];
const _errs8 = errors;
if(!(data4 && typeof data4 == "object" && !Array.isArray(data4))){
validate69.errors = [{instancePath:instancePath+"/applied/" + i0,schemaPath:"#/properties/applied/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid1 = _errs8 === errors;
if(!valid1){
break;
}
}
}
else {
validate69.errors = [{instancePath:instancePath+"/applied",schemaPath:"#/properties/applied/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs6 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.job !== undefined){
const _errs10 = errors;
if(typeof data.job !== "string"){
validate69.errors = [{instancePath:instancePath+"/job",schemaPath:"#/properties/job/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs10 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.restarted !== undefined){
const _errs12 = errors;
if(typeof data.restarted !== "boolean"){
validate69.errors = [{instancePath:instancePath+"/restarted",schemaPath:"#/properties/restarted/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs12 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate69.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate69.errors = vErrors;
return errors === 0;
}

/** True when `data` is valid; otherwise `.errors` says why (ajv ErrorObjects). */
export const validateMessage = validate35 as ((data: unknown) => data is import("./sync-commands.generated.js").DaemonMessage) & { errors?: ErrorObject[] | null };
export const validateOkReply = validate47 as ((data: unknown) => data is import("./sync-commands.generated.js").OkReply) & { errors?: ErrorObject[] | null };
export const validateErrorReply = validate49 as ((data: unknown) => data is import("./sync-commands.generated.js").ErrorReply) & { errors?: ErrorObject[] | null };
export const validateEvent = validate52 as ((data: unknown) => data is import("./sync-commands.generated.js").DaemonEvent) & { errors?: ErrorObject[] | null };
export const result_start = validate53 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["start"]) & { errors?: ErrorObject[] | null };
export const result_stop = validate60 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["stop"]) & { errors?: ErrorObject[] | null };
export const result_stop_all = validate60 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["stop-all"]) & { errors?: ErrorObject[] | null };
export const result_status = validate61 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["status"]) & { errors?: ErrorObject[] | null };
export const result_job_state = validate63 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["job-state"]) & { errors?: ErrorObject[] | null };
export const result_active_events = validate65 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["active-events"]) & { errors?: ErrorObject[] | null };
export const result_resume = validate66 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["resume"]) & { errors?: ErrorObject[] | null };
export const result_shutdown = validate68 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["shutdown"]) & { errors?: ErrorObject[] | null };
export const result_flush = validate69 as ((data: unknown) => data is import("./sync-commands.generated.js").CommandResults["flush"]) & { errors?: ErrorObject[] | null };
