'use strict';
/*
 * Finds and loads a function's handler from its handler string, as Lambda's Node runtime does:
 * '<folder>/<module>.<export path>' ("index.handler", "src/app.handler", "lib/api.routes.get"),
 * the module being the file '<folder>/<module>' (as it is, or with .js, .mjs or .cjs; a folder
 * with its index.js), else a package of the code's node_modules; .js files are ES modules where
 * the nearest package.json says "type": "module". The export path may go through nested objects.
 * For the handlers Hearth accepted before ('my.module.handler' naming my.module.js), a module not
 * found at the first dot is looked for at the last one.
 *
 * Failures carry Lambda's error types: Runtime.MalformedHandlerName, Runtime.ImportModuleError
 * (a module not found), Runtime.UserCodeSyntaxError, Runtime.HandlerNotFound; any other error the
 * module's own code throws while loading keeps its own type.
 */
const fs = require('fs');
const path = require('path');
const { describe, headline, framesOf } = require('./errors');

/** A load failure: its error document's type, message and, when not the cause's, trace. */
class InitError extends Error {
  constructor(errorType, message, cause, trace) {
    super(message);
    this.errorType = errorType;
    this.cause = cause;
    this.trace = trace;
  }
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch (_) {
    return false;
  }
}

/** Whether a .js file is an ES module: its nearest package.json says "type": "module". */
function isModuleScope(file) {
  let dir = path.dirname(file);
  for (;;) {
    let text = null;
    try {
      text = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch (_) {
      // none here: look further up
    }
    if (text !== null) {
      try {
        const pkg = JSON.parse(text);
        return pkg !== null && typeof pkg === 'object' && pkg.type === 'module';
      } catch (_) {
        return false; // Node reports the broken package.json itself when loading
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || path.basename(dir) === 'node_modules') {
      return false;
    }
    dir = parent;
  }
}

function importModule(file) {
  const { pathToFileURL } = require('url');
  return import(pathToFileURL(file).href);
}

/** Loads `file` as Node would: require for CommonJS, import() for ES modules. */
async function loadModule(file) {
  if (file.endsWith('.mjs') || (file.endsWith('.js') && isModuleScope(file))) {
    return importModule(file);
  }
  try {
    return require(file);
  } catch (err) {
    if (err && (err.code === 'ERR_REQUIRE_ESM' || err.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
      return importModule(file);
    }
    throw err;
  }
}

/** The file of module `name` in `folder` (both relative to `codeDir`), or null. */
function moduleFile(codeDir, folder, name) {
  const base = path.resolve(codeDir, folder, name);
  for (const candidate of [base, base + '.js', base + '.mjs', base + '.cjs']) {
    if (isFile(candidate)) {
      return candidate;
    }
  }
  const inside = (file) => file.startsWith(codeDir + path.sep);
  try {
    if (fs.statSync(base).isDirectory()) {
      const index = require.resolve(base); // its package.json "main" or index.js
      return inside(index) ? index : null;
    }
  } catch (_) {
    // not a folder Node can load
  }
  if (require('module').isBuiltin(name)) {
    return null; // a package by bare name, never one of Node's own
  }
  try {
    const found = require.resolve(name, { paths: [path.resolve(codeDir, folder), codeDir] });
    return inside(found) ? found : null;
  } catch (_) {
    return null;
  }
}

/** "'at <file>:<line>'" of a SyntaxError, from the first line of its stack, if it names one. */
function syntaxErrorAt(err, codeDir) {
  let first = '';
  try {
    first = String(err.stack).split('\n', 1)[0].replace(/^file:\/\//, '');
  } catch (_) {
    return [];
  }
  return /^\/.*:\d+$/.test(first) && first.startsWith(codeDir + path.sep) ? ['    at ' + first] : [];
}

/** Lambda's error for what loading the module threw. */
function loadFailure(err, codeDir) {
  if (err instanceof SyntaxError) {
    const message = headline(err);
    return new InitError('Runtime.UserCodeSyntaxError', message, err,
      ['Runtime.UserCodeSyntaxError: ' + message].concat(syntaxErrorAt(err, codeDir)));
  }
  const code = err !== null && typeof err === 'object' ? err.code : undefined;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    // Node lists the modules that required the missing one: the agent is none of the function's.
    const message = headline(err).split('\n').filter((line) => !line.startsWith('- ' + __dirname + path.sep))
      .join('\n').replace(/\nRequire stack:$/, '');
    return new InitError('Runtime.ImportModuleError', message, err,
      ['Runtime.ImportModuleError: ' + message].concat(framesOf(err)));
  }
  return err; // the module's own error, as it is
}

/**
 * Sets the function's environment, enters its code directory and loads its handler, the module's
 * own code running in `scope`. Throws an InitError, or what the module's code threw.
 */
async function loadHandler(spec, scope) {
  const codeDir = path.resolve(spec.codeDir);
  const handlerString = spec.handler;
  const slash = handlerString.lastIndexOf('/');
  const folder = handlerString.slice(0, slash + 1);
  const base = handlerString.slice(slash + 1);
  const first = base.indexOf('.');
  const last = base.lastIndexOf('.');
  if (first <= 0 || last === base.length - 1 || handlerString.includes('..') || path.isAbsolute(handlerString)
      || handlerString.includes('\\')) {
    throw new InitError('Runtime.MalformedHandlerName',
      "handler must be 'module.function' with a module path inside the code directory, got " + JSON.stringify(handlerString));
  }
  for (const [key, value] of Object.entries(spec.env || {})) {
    process.env[key] = String(value);
  }
  try {
    process.chdir(codeDir);
  } catch (err) {
    throw new InitError('Runtime.ImportModuleError', 'cannot enter the code directory ' + codeDir + ': ' + describe(err), err);
  }
  let split = first;
  let file = moduleFile(codeDir, folder, base.slice(0, first));
  if (file === null && last !== first) {
    split = last;
    file = moduleFile(codeDir, folder, base.slice(0, last));
  }
  if (file === null) {
    const message = "Error: Cannot find module '" + folder + base.slice(0, first) + "'";
    throw new InitError('Runtime.ImportModuleError', message, null, ['Runtime.ImportModuleError: ' + message]);
  }
  let mod;
  try {
    mod = await scope.runInAsyncScope(() => loadModule(file));
  } catch (err) {
    throw loadFailure(err, codeDir);
  }
  const handler = base.slice(split + 1).split('.').reduce((object, key) => (object != null ? object[key] : undefined), mod);
  if (typeof handler !== 'function') {
    const message = handlerString + (handler == null ? ' is undefined or not exported' : ' is not a function');
    throw new InitError('Runtime.HandlerNotFound', message, null, ['Runtime.HandlerNotFound: ' + message]);
  }
  return handler;
}

module.exports = { InitError, loadHandler };
