'use strict';
/*
 * Hearth Node.js agent: serves one function inside one container.
 *
 * Speaks HTTP/1.1 on a Unix domain socket (the container has no network). The protocol is
 * described in runtimes/README.md: GET /healthz, POST /init exactly once, then POST /run per
 * invocation. Node's standard library only, and as few of its modules as possible, so the image
 * stays small and an idle container stays light.
 *
 * Run as: node /opt/hearth/agent.js /run/hearth/agent.sock
 */
const fs = require('fs');
const http = require('http');
const path = require('path');

const MAX_BODY = 6 * 1024 * 1024;
const MAX_LOG = 64 * 1024;
// A tagged line is "<24-char ISO time>\t<id>\t<stdout|stderr>\t<text>\n": 34 bytes plus the id.
const LINE_OVERHEAD = 24 + 1 + 1 + 6 + 1 + 1;
const JSON_TYPE = 'application/json';

// The agent's own diagnostics go to the container's real stderr, never to the function's log.
const realStderrWrite = process.stderr.write.bind(process.stderr);

function diag(message) {
  try {
    realStderrWrite('[hearth-agent] ' + message + '\n');
  } catch (_) {
    // nowhere left to report
  }
}

// ---------------------------------------------------------------------------------------------
// Log capture

/**
 * Collects what the function writes to stdout and stderr, as lines, for the next /run answer.
 *
 * Lines are kept raw and tagged with the request id when handed over, so lines written while the
 * function loads go out with its first invocation. The answer keeps at most MAX_LOG bytes of
 * tagged lines, a prefix of what was written; the rest is counted and reported by one line.
 */
const logs = {
  lines: [], // flat: time, stream, text, time, stream, text, ...
  size: 0, // lower bound of the tagged size of `lines` (the request id is not known yet)
  full: false, // once a line did not fit, every later line is dropped too
  droppedLines: 0,
  droppedTextBytes: 0,
  partial: { stdout: '', stderr: '' },
  // Bytes of a partial line already too long to ever fit; counted, not kept.
  overflow: { stdout: -1, stderr: -1 },

  write(stream, text) {
    if (text.length === 0) {
      return;
    }
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      if (this.overflow[stream] >= 0) {
        this.drop(this.overflow[stream] + Buffer.byteLength(piece));
        this.overflow[stream] = -1;
      } else {
        const head = this.partial[stream];
        this.partial[stream] = '';
        this.add(stream, head.length === 0 ? piece : head + piece);
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    const rest = start === 0 ? text : text.slice(start);
    if (rest.length === 0) {
      return;
    }
    if (this.overflow[stream] >= 0) {
      this.overflow[stream] += Buffer.byteLength(rest);
      return;
    }
    const partial = this.partial[stream] + rest;
    if (partial.length > MAX_LOG) {
      // A line longer than the whole budget can never be kept: only count it, keep no copy.
      this.partial[stream] = '';
      this.overflow[stream] = Buffer.byteLength(partial);
    } else {
      this.partial[stream] = partial;
    }
  },

  add(stream, text) {
    if (this.full) {
      this.drop(Buffer.byteLength(text));
      return;
    }
    const cost = Buffer.byteLength(text) + LINE_OVERHEAD;
    if (this.size + cost > MAX_LOG) {
      this.full = true;
      this.drop(cost - LINE_OVERHEAD);
      return;
    }
    this.lines.push(Date.now(), stream, text);
    this.size += cost;
  },

  drop(textBytes) {
    this.full = true;
    this.droppedLines += 1;
    this.droppedTextBytes += textBytes;
  },

  /** The tagged log since the last drain, as UTF-8 bytes; empties the buffer. */
  drain(requestId) {
    for (const stream of ['stdout', 'stderr']) {
      if (this.overflow[stream] >= 0) {
        this.drop(this.overflow[stream]);
        this.overflow[stream] = -1;
      } else if (this.partial[stream].length > 0) {
        const rest = this.partial[stream];
        this.partial[stream] = '';
        this.add(stream, rest);
      }
    }
    const lines = this.lines;
    const overhead = LINE_OVERHEAD + Buffer.byteLength(requestId);
    let droppedLines = this.droppedLines;
    let droppedBytes = this.droppedTextBytes;
    let out = '';
    let size = 0;
    let cut = false; // the exact tags may not all fit where the estimate did: keep a prefix
    for (let i = 0; i < lines.length; i += 3) {
      const text = lines[i + 2];
      const cost = Buffer.byteLength(text) + overhead;
      if (!cut && size + cost <= MAX_LOG) {
        out += new Date(lines[i]).toISOString() + '\t' + requestId + '\t' + lines[i + 1] + '\t' + text + '\n';
        size += cost;
      } else {
        cut = true;
        droppedLines += 1;
        droppedBytes += cost - overhead;
      }
    }
    if (droppedLines > 0) {
      const dropped = droppedBytes + droppedLines * overhead;
      out += new Date().toISOString() + '\t' + requestId + '\tstderr\t[hearth] log truncated: ' + dropped + ' bytes dropped\n';
    }
    this.lines = [];
    this.size = 0;
    this.full = false;
    this.droppedLines = 0;
    this.droppedTextBytes = 0;
    return out.length === 0 ? EMPTY : Buffer.from(out, 'utf8');
  },
};

const EMPTY = Buffer.alloc(0);

/** Replaces stream.write so that everything the function writes (console.* included) is captured. */
function capture(stream, name) {
  let decoder = null; // for multi-byte characters split across Buffer writes
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    let text;
    try {
      if (typeof chunk === 'string') {
        text = encoding && encoding !== 'utf8' && encoding !== 'utf-8' && Buffer.isEncoding(encoding)
          ? Buffer.from(chunk, encoding).toString('utf8') : chunk;
      } else if (chunk instanceof Uint8Array) {
        if (decoder === null) {
          const { StringDecoder } = require('string_decoder');
          decoder = new StringDecoder('utf8');
        }
        text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } else {
        text = String(chunk);
      }
      logs.write(name, text);
    } catch (err) {
      diag('log capture failed: ' + describe(err));
    }
    if (typeof callback === 'function') {
      process.nextTick(callback);
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
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

function typeOf(value) {
  try {
    if (isError(value) && value.name) {
      return String(value.name);
    }
  } catch (_) {
    // a throwing getter
  }
  return 'Error';
}

function stackOf(value) {
  try {
    if (value !== null && typeof value === 'object' && typeof value.stack === 'string') {
      return value.stack.split('\n');
    }
  } catch (_) {
    // a throwing getter
  }
  return [];
}

/** {errorType, errorMessage, stackTrace} as JSON. */
function errorBody(errorType, err, message) {
  return JSON.stringify({
    errorType,
    errorMessage: message !== undefined ? message : describe(err),
    stackTrace: stackOf(err),
  });
}

// ---------------------------------------------------------------------------------------------
// Loading the handler

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

class InitError extends Error {
  constructor(errorType, message, cause) {
    super(message);
    this.errorType = errorType;
    this.cause = cause;
  }
}

/** Imports '<module path>.<function>' from the code directory, as Lambda does. */
async function loadHandler(spec) {
  const codeDir = spec.codeDir;
  const dot = spec.handler.lastIndexOf('.');
  const moduleName = dot > 0 ? spec.handler.slice(0, dot) : '';
  const functionName = dot > 0 ? spec.handler.slice(dot + 1) : '';
  if (!moduleName || !functionName || path.isAbsolute(moduleName) || moduleName.split(/[\\/]/).includes('..')) {
    throw new InitError('Runtime.MalformedHandlerName',
      "handler must be 'module.function' with a module path inside the code directory, got " + JSON.stringify(spec.handler));
  }
  for (const [key, value] of Object.entries(spec.env || {})) {
    process.env[key] = String(value);
  }
  try {
    process.chdir(codeDir);
  } catch (err) {
    throw new InitError('Runtime.ImportModuleError', 'cannot enter the code directory ' + codeDir + ': ' + describe(err), err);
  }
  const base = path.resolve(codeDir, moduleName);
  let file = null;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    try {
      if (fs.statSync(base + ext).isFile()) {
        file = base + ext;
        break;
      }
    } catch (_) {
      // try the next extension
    }
  }
  if (file === null) {
    throw new InitError('Runtime.ImportModuleError',
      "cannot import module '" + moduleName + "': no " + base + '.js, .mjs or .cjs');
  }
  let mod;
  try {
    mod = await loadModule(file);
  } catch (err) {
    throw new InitError('Runtime.ImportModuleError',
      "cannot import module '" + moduleName + "': " + typeOf(err) + ': ' + describe(err), err);
  }
  const handler = mod != null ? mod[functionName] : undefined;
  if (typeof handler !== 'function') {
    throw new InitError('Runtime.HandlerNotFound',
      moduleName + " has no exported function '" + functionName + "'");
  }
  return handler;
}

// ---------------------------------------------------------------------------------------------
// The agent

let fn = null; // the /init request, once one was accepted (even if loading then failed)
let handler = null; // the loaded handler, once /init succeeded
let current = null; // the invocation under way: { fail(err, errorType) }

async function init(body) {
  if (fn !== null) {
    return [409, errorBody('Runtime.AlreadyInitialized', null, 'this container already serves ' + fn.functionName)];
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [400, errorBody('Runtime.BadInit', null, 'init body must be a JSON object')];
  }
  for (const key of ['handler', 'codeDir', 'functionName', 'functionVersion', 'memoryMb']) {
    if (!(key in body)) {
      return [400, errorBody('Runtime.BadInit', null, "missing '" + key + "'")];
    }
  }
  if (typeof body.handler !== 'string' || typeof body.codeDir !== 'string') {
    return [400, errorBody('Runtime.BadInit', null, "'handler' and 'codeDir' must be strings")];
  }
  if (body.env != null && (typeof body.env !== 'object' || Array.isArray(body.env))) {
    return [400, errorBody('Runtime.BadInit', null, "'env' must be an object")];
  }
  const started = process.hrtime.bigint();
  fn = body;
  try {
    handler = await loadHandler(body);
  } catch (err) {
    if (err instanceof InitError) {
      return [500, errorBody(err.errorType, err.cause, err.message)]; // the cause's stack, if any
    }
    return [500, errorBody('Runtime.ImportModuleError', err)];
  }
  const initMs = Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3;
  return [200, JSON.stringify({ initMs })];
}

function run(event, requestId, deadlineMs) {
  if (handler === null) {
    const reason = fn === null ? 'this container is not initialized' : 'this container failed its /init';
    return Promise.resolve([409, errorBody('Runtime.NotInitialized', null, reason)]);
  }
  return new Promise((resolve) => {
    let settled = false;
    const invocation = {};
    const finish = (status, body) => {
      if (settled) {
        return;
      }
      settled = true;
      if (current === invocation) {
        current = null;
      }
      resolve([status, body]);
    };
    const succeed = (result) => {
      if (settled) {
        return;
      }
      let json;
      try {
        json = JSON.stringify(result === undefined ? null : result);
      } catch (err) {
        finish(500, errorBody('Runtime.MarshalError', err, 'result is not JSON serializable: ' + describe(err)));
        return;
      }
      finish(200, json === undefined ? 'null' : json); // functions and symbols stringify to nothing
    };
    const fail = (err, errorType, message) => {
      if (!settled) {
        finish(500, errorBody(errorType || typeOf(err), err, message));
      }
    };
    invocation.fail = fail;
    current = invocation;

    const callback = (err, result) => {
      if (err !== undefined && err !== null) {
        fail(err);
      } else {
        succeed(result);
      }
    };
    const context = {
      awsRequestId: requestId,
      functionName: fn.functionName,
      functionVersion: fn.functionVersion,
      memoryLimitInMB: String(fn.memoryMb),
      invokedFunctionArn: 'hrn:hearth:function:' + fn.functionName + ':' + fn.functionVersion,
      logGroupName: '/hearth/' + fn.functionName,
      logStreamName: String(fn.functionVersion),
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis() {
        return Math.max(0, Math.floor(deadlineMs - Date.now()));
      },
      // Lambda's legacy completion methods.
      done: callback,
      succeed: (result) => callback(null, result),
      fail: (err) => callback(err === undefined || err === null ? 'failed' : err),
    };
    try {
      const returned = handler.length >= 3 ? handler(event, context, callback) : handler(event, context);
      if (returned !== null && (typeof returned === 'object' || typeof returned === 'function')
          && typeof returned.then === 'function') {
        returned.then(succeed, (err) => fail(err));
      } else if (handler.length < 3) {
        succeed(returned);
      }
      // A callback-style handler that returned no promise answers through its callback.
    } catch (err) {
      fail(err);
    }
  });
}

// A handler's stray async work must never take the agent down: it ends the invocation under way
// as a function error, or, between invocations, is reported in the agent's own log.
process.on('unhandledRejection', (reason) => {
  if (current !== null) {
    // Lambda's form: "<name>: <message>" for an Error, else the reason as a string.
    const message = isError(reason) ? typeOf(reason) + ': ' + describe(reason) : describe(reason);
    current.fail(reason, 'Runtime.UnhandledPromiseRejection', message);
  } else {
    diag('unhandled promise rejection outside an invocation: ' + (stackOf(reason).join('\n') || describe(reason)));
  }
});

process.on('uncaughtException', (err) => {
  if (current !== null) {
    current.fail(err);
  } else {
    diag('uncaught exception outside an invocation: ' + (stackOf(err).join('\n') || describe(err)));
  }
});

// ---------------------------------------------------------------------------------------------
// HTTP

/** Requests are served one after another: the host never overlaps them, and logs must not mix. */
let queue = Promise.resolve();

function reply(req, res, status, json) {
  const data = Buffer.from(json, 'utf8');
  const headers = { 'Content-Type': JSON_TYPE };
  let body = data;
  if (req.url === '/run') {
    const log = logs.drain(String(req.headers['x-hearth-request-id'] || ''));
    headers['X-Hearth-Log-Bytes'] = String(log.length);
    if (status >= 500) {
      headers['X-Hearth-Function-Error'] = 'Unhandled';
    }
    if (log.length > 0) {
      body = Buffer.concat([log, data], log.length + data.length);
    }
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

async function serve(req, res, chunks, size) {
  if (size > MAX_BODY) {
    return reply(req, res, 413, errorBody('Runtime.RequestTooLarge', null, 'body over ' + MAX_BODY + ' bytes'));
  }
  let body = null;
  if (size > 0) {
    try {
      body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch (err) {
      return req.url === '/run'
        ? reply(req, res, 400, errorBody('Runtime.InvalidJson', err))
        : reply(req, res, 400, errorBody('Runtime.BadInit', err, 'init body is not JSON: ' + describe(err)));
    }
  }
  let status;
  let json;
  if (req.url === '/run') {
    let deadline = Number(req.headers['x-hearth-deadline-ms']);
    if (!req.headers['x-hearth-deadline-ms'] || !Number.isFinite(deadline)) {
      deadline = Date.now() + (fn !== null && Number(fn.timeoutMs) > 0 ? Number(fn.timeoutMs) : 3000);
    }
    [status, json] = await run(body, String(req.headers['x-hearth-request-id'] || ''), deadline);
  } else {
    [status, json] = await init(body);
  }
  return reply(req, res, status, json);
}

function onRequest(req, res) {
  if (req.method === 'GET' && req.url === '/healthz') {
    req.resume();
    return reply(req, res, 200, JSON.stringify({ initialized: fn !== null }));
  }
  if (req.method !== 'POST' || (req.url !== '/run' && req.url !== '/init')) {
    req.resume();
    return reply(req, res, 404, errorBody('NotFound', null, req.method + ' ' + req.url));
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) {
      chunks.push(chunk);
    } // past the limit the rest is read and discarded, so the connection stays usable
  });
  req.on('end', () => {
    queue = queue.then(() => serve(req, res, chunks, size)).catch((err) => {
      diag('request failed: ' + (stackOf(err).join('\n') || describe(err)));
      try {
        if (!res.headersSent) {
          reply(req, res, 500, errorBody('Runtime.AgentError', err));
        }
      } catch (_) {
        res.destroy();
      }
    });
  });
}

/**
 * Requires a throwaway CommonJS file once, before any function arrives: the first require of a
 * file from disk sets up the module loader's caches (about two milliseconds); paying it while the
 * container waits in the pool takes it off the function's first call. Nothing of it remains.
 */
function warmModuleLoader() {
  const dir = '/tmp/.hearth-warm-' + process.pid;
  const file = path.join(dir, 'warm.js');
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(file, 'exports.handler = async (event) => event;\n');
    fs.statSync(file);
    require(file);
  } catch (_) {
    // no writable /tmp: the first call pays instead
  } finally {
    delete require.cache[file];
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const socketPath = process.argv[2] || '/run/hearth/agent.sock';
  warmModuleLoader();
  const tmp = socketPath + '.tmp';
  for (const stale of [socketPath, tmp]) {
    try {
      fs.unlinkSync(stale);
    } catch (_) {
      // not there
    }
  }
  const server = http.createServer(onRequest);
  // The host keeps connections alive between invocations and a handler may run up to 15 minutes:
  // the agent never times out a connection or a request. The host enforces every deadline.
  server.keepAliveTimeout = 0;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.timeout = 0;
  server.on('error', (err) => {
    diag('cannot listen on ' + tmp + ': ' + describe(err));
    process.exit(1);
  });
  server.listen(tmp, () => {
    capture(process.stdout, 'stdout');
    capture(process.stderr, 'stderr');
    // Bound under a temporary name and renamed: the host sees the socket only once it listens.
    fs.renameSync(tmp, socketPath);
  });
  // As PID 1 the agent gets no default signal handling: stop at once when the container is stopped.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

main();
