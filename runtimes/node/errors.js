'use strict';
/*
 * Error documents in the shape Lambda's Node runtime gives them: {errorType, errorMessage, trace},
 * trace being the error's stack as lines. Hearth's own frames are cut off the trace: a function's
 * error shows the function's code, not the agent that called it. The same lines are also given as
 * `stackTrace`, the field every Hearth runtime's error carries.
 */
const path = require('path');

// Every file of the agent lives in this folder; a frame naming one is the agent's.
const AGENT_DIR = path.dirname(__filename) + path.sep;
const FRAME = /^\s+at /;
// Node's own frames that sit between a handler and the agent frame that called it.
const CALLING_FRAME = /^\s+at (AsyncResource\.runInAsyncScope|new Promise) \((node:async_hooks|<anonymous>)/;

/** Whether `value` is an Error: a native one, or an object with Error's string name, message and stack. */
function isError(value) {
  try {
    if (value instanceof Error || Object.prototype.toString.call(value) === '[object Error]') {
      return true;
    }
    return value !== null && typeof value === 'object' && typeof value.name === 'string'
      && typeof value.message === 'string' && typeof value.stack === 'string';
  } catch (_) {
    return false; // a throwing getter or proxy trap
  }
}

/** The message of a thrown value: an Error's message, else the value as a string. */
function describe(value) {
  try {
    if (isError(value)) {
      return String(value.message);
    }
    return String(value);
  } catch (_) {
    return Object.prototype.toString.call(value);
  }
}

/** Lambda's errorType of a thrown value: an Error's name, else its `typeof`. */
function typeOf(value) {
  try {
    if (isError(value)) {
      return value.name ? String(value.name) : 'Error';
    }
  } catch (_) {
    // a throwing getter
  }
  return typeof value;
}

/** An Error as Node prints it ("TypeError: boom"), else the value as a string. */
function headline(value) {
  return isError(value) ? typeOf(value) + ': ' + describe(value) : describe(value);
}

/** The stack's lines, up to (not including) the first frame of the agent's own. */
function traceOf(value) {
  let stack;
  try {
    stack = value !== null && typeof value === 'object' ? value.stack : undefined;
  } catch (_) {
    return []; // a throwing getter
  }
  if (typeof stack !== 'string') {
    return [];
  }
  const lines = stack.split('\n');
  let end = lines.findIndex((line) => FRAME.test(line) && line.includes(AGENT_DIR));
  if (end === -1) {
    return lines;
  }
  while (end > 0 && CALLING_FRAME.test(lines[end - 1])) {
    end -= 1;
  }
  return lines.slice(0, end);
}

/** Only the "    at …" lines of a trace. */
function framesOf(value) {
  return traceOf(value).filter((line) => FRAME.test(line));
}

/**
 * The error document of `err`, as JSON. `errorType` and `errorMessage` override the error's own
 * (the runtime's own error kinds); the trace then starts with them, as Lambda's does, followed by
 * the frames of `err`, if any. `trace`, when given, is the trace instead.
 */
function errorBody(errorType, err, errorMessage, trace) {
  const type = errorType !== undefined && errorType !== null ? errorType : typeOf(err);
  const message = errorMessage !== undefined ? errorMessage : describe(err);
  let lines = trace;
  if (lines === undefined) {
    lines = err === null || err === undefined ? [] : traceOf(err);
    if (lines.length > 0 && (errorType != null || errorMessage !== undefined)) {
      lines = [type + ': ' + message].concat(lines.filter((line) => FRAME.test(line)));
    }
  }
  return JSON.stringify({ errorType: type, errorMessage: message, trace: lines, stackTrace: lines });
}

module.exports = { isError, describe, typeOf, headline, traceOf, framesOf, errorBody };
