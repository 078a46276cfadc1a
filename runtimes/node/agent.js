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
const { describe, headline, traceOf, errorBody } = require('./errors');
const { InitError, loadHandler } = require('./loader');
const work = require('./work');

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
 * What an invocation's code writes once its answer has gone (a timer it left pending) is dropped,
 * never given to a later invocation: see `capture`.
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

let lateWrites = 0; // writes dropped since the last answer, for the agent's own log

/**
 * Replaces stream.write so that everything the function writes (console.* included) is captured.
 *
 * A write made by the code of an invocation whose answer has gone is dropped. On Lambda such late
 * output (a timer left pending by a handler that answered) shows up while a later invocation runs,
 * tagged with the later request id; Hearth never puts it in another invocation's record.
 */
function capture(stream, name) {
  let decoder = null; // for multi-byte characters split across Buffer writes
  stream.write = function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    const owner = work.ownerNow();
    if (owner !== undefined && owner.closed === true) {
      lateWrites += 1;
      if (typeof callback === 'function') {
        process.nextTick(callback);
      }
      return true;
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
// The agent

const LOADING = { closed: false }; // the owner of what the module's own code does as it loads
let fn = null; // the /init request, once one was accepted (even if loading then failed)
let handler = null; // the loaded handler, once /init succeeded
let fields = null; // the context's fields that stay the same from call to call
let current = null; // the invocation under way: { fail(err, errorType, message) }

/**
 * The context's per-function fields, from the Lambda environment Hearth gives every function
 * (a function's own env may set them); without it, from the /init request.
 */
function contextFields(spec) {
  const env = process.env;
  const name = env.AWS_LAMBDA_FUNCTION_NAME || String(spec.functionName);
  const version = env.AWS_LAMBDA_FUNCTION_VERSION || String(spec.functionVersion);
  const region = env.AWS_REGION;
  return {
    functionName: name,
    functionVersion: version,
    invokedFunctionArn: region
      ? 'arn:aws:lambda:' + region + ':' + (env.HEARTH_ACCOUNT_ID || '000000000000') + ':function:' + name
      : 'hrn:hearth:function:' + name + ':' + version,
    memoryLimitInMB: String(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || spec.memoryMb),
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME || '/hearth/' + name,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME || version,
  };
}

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
    handler = await loadHandler(body, work.scopeOf(LOADING));
  } catch (err) {
    if (err instanceof InitError) {
      return [500, errorBody(err.errorType, err.cause, err.message, err.trace)];
    }
    return [500, errorBody(null, err)]; // what the module's own code threw, with its own type
  }
  fields = contextFields(body);
  const initMs = Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3;
  return [200, JSON.stringify({ initMs })];
}

function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

/**
 * Calls the handler with the event, a Lambda context and Lambda's callback. Resolves with
 * [status, body, invocation] once the invocation has its answer:
 * - a promise the handler returned: when it settles, pending work or not;
 * - the callback with an error, or context.done/succeed/fail: at once;
 * - the callback with a result: once the function's code has no work left (its timers, sockets
 *   and requests all ended), or at once if context.callbackWaitsForEmptyEventLoop was set false;
 * - a callback-style handler that never calls back: null, once its code has no work left;
 * - a plain function's return value (Hearth's own, beside Lambda's): at once.
 */
/** The caller's client context: the base64 JSON object the control plane checked; undefined without one. */
function clientContextOf(header) {
  if (typeof header !== 'string' || header === '') {
    return undefined;
  }
  try {
    const value = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch (err) {
    return undefined;
  }
}

function run(event, requestId, deadlineMs, qualifier, clientContext) {
  if (handler === null) {
    const reason = fn === null ? 'this container is not initialized' : 'this container failed its /init';
    return Promise.resolve([409, errorBody('Runtime.NotInitialized', null, reason)]);
  }
  return new Promise((resolve) => {
    const invocation = { closed: false };
    let settled = false;
    let answered = false; // the handler gave its answer, which may wait for its work to end
    let waitsForEmptyLoop = true;
    let cancelWait = null;
    const finish = (status, body) => {
      if (settled) {
        return;
      }
      settled = true;
      if (cancelWait !== null) {
        cancelWait();
      }
      if (current === invocation) {
        current = null;
      }
      resolve([status, body, invocation]);
    };
    const succeed = (result) => {
      let json;
      try {
        json = JSON.stringify(result === undefined ? null : result);
      } catch (err) {
        finish(500, errorBody('Runtime.MarshalError', err, 'result is not JSON serializable: ' + describe(err)));
        return;
      }
      finish(200, json === undefined ? 'null' : json); // functions and symbols stringify to nothing
    };
    const fail = (err, errorType, message) => finish(500, errorBody(errorType, err, message));
    invocation.fail = fail;
    current = invocation;

    const answer = (err, result, wait) => {
      if (answered || settled) {
        return;
      }
      answered = true;
      if (cancelWait !== null) {
        cancelWait();
        cancelWait = null;
      }
      if (err !== undefined && err !== null) {
        fail(err);
      } else if (wait) {
        cancelWait = work.whenIdle(() => succeed(result));
      } else {
        succeed(result);
      }
    };
    const callback = (err, result) => answer(err, result, waitsForEmptyLoop);
    const done = (err, result) => answer(err, result, false);
    const context = {
      awsRequestId: requestId,
      ...fields,
      // Lambda's invoked ARN names the qualifier the caller used (an alias, a version, $LATEST).
      invokedFunctionArn: qualifier ? fields.invokedFunctionArn + ':' + qualifier : fields.invokedFunctionArn,
      clientContext,
      identity: undefined,
      get callbackWaitsForEmptyEventLoop() {
        return waitsForEmptyLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitsForEmptyLoop = Boolean(value);
      },
      getRemainingTimeInMillis() {
        return Math.max(0, Math.floor(deadlineMs - Date.now()));
      },
      // Lambda's legacy completion methods: they never wait for pending work.
      done,
      succeed: (result) => done(null, result),
      fail: (err) => done(err === undefined || err === null ? 'handled' : err),
    };
    let returned;
    try {
      returned = work.scopeOf(invocation).runInAsyncScope(handler, undefined, event, context, callback);
    } catch (err) {
      done(err);
      return;
    }
    if (isThenable(returned)) {
      returned.then((result) => done(null, result), (err) => context.fail(err));
    } else if (handler.length < 3) {
      done(null, returned);
    } else if (!answered) {
      cancelWait = work.whenIdle(() => answer(null, null, false));
    }
  });
}

// A handler's stray async work must never take the agent down: it ends the invocation under way
// as a function error, or, between invocations, is reported in the agent's own log.
process.on('unhandledRejection', (reason) => {
  if (current !== null) {
    // Lambda's form: "<name>: <message>" for an Error, else the reason as a string.
    current.fail(reason, 'Runtime.UnhandledPromiseRejection', headline(reason));
  } else {
    diag('unhandled promise rejection outside an invocation: ' + (traceOf(reason).join('\n') || describe(reason)));
  }
});

process.on('uncaughtException', (err) => {
  if (current !== null) {
    current.fail(err);
  } else {
    diag('uncaught exception outside an invocation: ' + (traceOf(err).join('\n') || describe(err)));
  }
});

// ---------------------------------------------------------------------------------------------
// HTTP

/** Requests are served one after another: the host never overlaps them, and logs must not mix. */
let queue = Promise.resolve();

/** Answers; a /run answer carries the log, after which what `invocation`'s code writes is dropped. */
function reply(req, res, status, json, invocation) {
  const data = Buffer.from(json, 'utf8');
  const headers = { 'Content-Type': JSON_TYPE };
  let body = data;
  if (req.url === '/run') {
    const log = logs.drain(String(req.headers['x-hearth-request-id'] || ''));
    if (invocation !== undefined) {
      invocation.closed = true;
    }
    if (lateWrites > 0) {
      diag('dropped ' + lateWrites + ' writes made by invocations after their answer');
      lateWrites = 0;
    }
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
  if (req.url === '/run') {
    let deadline = Number(req.headers['x-hearth-deadline-ms']);
    if (!req.headers['x-hearth-deadline-ms'] || !Number.isFinite(deadline)) {
      deadline = Date.now() + (fn !== null && Number(fn.timeoutMs) > 0 ? Number(fn.timeoutMs) : 3000);
    }
    const [status, json, invocation] = await run(body, String(req.headers['x-hearth-request-id'] || ''), deadline,
      req.headers['x-hearth-qualifier'], clientContextOf(req.headers['x-hearth-client-context']));
    return reply(req, res, status, json, invocation);
  }
  const [status, json] = await init(body);
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
      diag('request failed: ' + (traceOf(err).join('\n') || describe(err)));
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

/** Names the platform gives every function (runtimes/README.md), set during the rehearsal and put back after. */
const REHEARSED_VARIABLES = ['AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'LAMBDA_TASK_ROOT', '_HANDLER', 'TZ'];

const SAMPLE = 'exports.handler = async (event, context) =>\n'
  + '  ({ name: event.name, id: context.awsRequestId, left: context.getRemainingTimeInMillis() > 0 });\n';

/**
 * Practises a first call before the host can see the socket: /init and two /run of a sample
 * handler, sent to this agent's own server on its temporary socket. What a fresh Node pays on
 * its first such requests (the HTTP parser's first POST with a body, the module loader's caches,
 * the agent's own functions compiled on first use) is then paid while the container waits in the
 * pool, not by a function's first call. Nothing of it remains: the agent's state, the variables
 * it set, the working folder and the module cache are put back, and the sample writes no log.
 * Never rejects: a failed rehearsal is reported and the agent serves anyway.
 */
async function rehearse(socketPath) {
  const dir = '/tmp/.hearth-rehearsal-' + process.pid;
  const file = path.join(dir, 'sample.js');
  const cwd = process.cwd();
  const before = {};
  const env = {};
  for (const name of REHEARSED_VARIABLES) {
    before[name] = process.env[name];
    env[name] = 'rehearsal';
  }
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(file, SAMPLE);
    const answers = [
      await post(socketPath, '/init', { handler: 'sample.handler', codeDir: dir, functionName: 'rehearsal',
        functionVersion: '1', memoryMb: 128, timeoutMs: 3000, env }),
      await post(socketPath, '/run', { name: 'x', n: [1, 2.5, true, null] }, 'rehearsal-1'),
      await post(socketPath, '/run', { name: 'y' }, 'rehearsal-2'),
    ];
    if (answers.some((status) => status !== 200)) {
      diag('rehearsal answered ' + answers.join(', ') + '; serving anyway');
    }
  } catch (err) {
    diag('rehearsal failed; serving anyway: ' + describe(err));
  } finally {
    fn = null;
    handler = null;
    fields = null;
    current = null;
    logs.drain('');
    lateWrites = 0;
    for (const name of REHEARSED_VARIABLES) {
      if (before[name] === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = before[name];
      }
    }
    try {
      process.chdir(cwd);
    } catch (_) {
      // the folder the agent started in is gone: the function's /init enters its own anyway
    }
    delete require.cache[file];
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One POST of `json` to the agent's own socket; resolves with the answer's status. */
function post(socketPath, urlPath, json, requestId) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(JSON.stringify(json), 'utf8');
    const headers = { 'Content-Type': JSON_TYPE, 'Content-Length': String(body.length) };
    if (requestId !== undefined) {
      headers['X-Hearth-Request-Id'] = requestId;
      headers['X-Hearth-Deadline-Ms'] = String(Date.now() + 3000);
    }
    const req = http.request({ socketPath, method: 'POST', path: urlPath, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function main() {
  const socketPath = process.argv[2] || '/run/hearth/agent.sock';
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
    rehearse(tmp).then(() => {
      capture(process.stdout, 'stdout');
      capture(process.stderr, 'stderr');
      // Bound under a temporary name and renamed: the host sees the socket only once it listens.
      fs.renameSync(tmp, socketPath);
    });
  });
  // As PID 1 the agent gets no default signal handling: stop at once when the container is stopped.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

main();
