'use strict';
/*
 * Whose code is running, and whether the function's code has work left: what Lambda's Node
 * runtime learns from the event loop running empty (its `beforeExit`), which the agent cannot
 * use, since its own server and connection keep the loop alive.
 *
 * Every async resource created while the function's code runs is tagged with the code's owner:
 * the invocation whose handler (or a callback it scheduled) created it, or the load of the
 * function's module. The function's pending work is its live resources that keep Node's loop
 * alive: referenced timers, immediates and handles (sockets, pipes, child processes, servers,
 * workers), and requests under way (file system, DNS, connects, writes, crypto jobs). Promises
 * hold no loop, nor do the agent's own resources, which are created outside any owner.
 */
const { AsyncResource, createHook, executionAsyncResource } = require('async_hooks');

const OWNER = Symbol('hearth.owner');
const REQUESTS = new Set(['FILEHANDLECLOSEREQ', 'FSREQCALLBACK', 'FSREQPROMISE', 'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP', 'QUERYWRAP', 'PIPECONNECTWRAP', 'TCPCONNECTWRAP', 'SHUTDOWNWRAP', 'WRITEWRAP',
  'UDPSENDWRAP']);
const POLL_MS = 20; // a timer unreferenced without any resource ending is noticed this late

const live = new Map(); // asyncId -> resource, for every pending resource of the function's code
const waiters = new Set(); // called once the function's code has no work left
const agentScope = new AsyncResource('HearthAgent'); // the agent's own: no owner
let checkScheduled = false;
let poll = null;

function isWork(type, resource) {
  return typeof resource.hasRef === 'function' || REQUESTS.has(type)
    || (type.endsWith('REQUEST') && type !== 'HTTPCLIENTREQUEST') // crypto jobs on the thread pool
    || type === 'ZLIB';
}

function holdsLoop(resource) {
  try {
    if (typeof resource.hasRef === 'function') {
      return resource.hasRef() === true;
    }
    if ('writeInProgress' in resource) {
      return resource.writeInProgress === true; // a zlib stream: only while it compresses
    }
    return true;
  } catch (_) {
    return false; // a handle already closed
  }
}

/** Whether any of the function's resources keeps the loop alive. */
function hasWork() {
  for (const resource of live.values()) {
    if (holdsLoop(resource)) {
      return true;
    }
  }
  return false;
}

function check() {
  checkScheduled = false;
  if (waiters.size === 0 || hasWork()) {
    return;
  }
  const ready = [...waiters];
  waiters.clear();
  clearInterval(poll);
  poll = null;
  for (const waiter of ready) {
    waiter();
  }
}

function scheduleCheck() {
  if (!checkScheduled) {
    checkScheduled = true;
    agentScope.runInAsyncScope(() => setImmediate(check));
  }
}

createHook({
  init(asyncId, type, triggerAsyncId, resource) {
    const owner = executionAsyncResource()[OWNER];
    if (owner === undefined) {
      return;
    }
    try {
      resource[OWNER] = owner;
    } catch (_) {
      return; // a frozen resource: its callbacks run as nobody's
    }
    if (isWork(type, resource)) {
      live.set(asyncId, resource);
    }
  },
  destroy(asyncId) {
    if (live.delete(asyncId) && waiters.size > 0) {
      scheduleCheck();
    }
  },
}).enable();

/** A scope whose code, and all the work it schedules, belongs to `owner`. */
function scopeOf(owner) {
  const scope = new AsyncResource('HearthFunction');
  scope[OWNER] = owner;
  return scope;
}

/** The owner of the code running now, or undefined for the agent's own. */
function ownerNow() {
  return executionAsyncResource()[OWNER];
}

/**
 * Calls `waiter`, in the agent's own scope, once the function's code has no work left (at once,
 * in a later turn of the loop, if it has none). Returns a function that cancels the wait.
 */
function whenIdle(waiter) {
  const once = () => waiter();
  waiters.add(once);
  scheduleCheck();
  if (poll === null) {
    poll = agentScope.runInAsyncScope(() => setInterval(() => {
      if (!checkScheduled) {
        check();
      }
    }, POLL_MS));
  }
  return () => {
    waiters.delete(once);
    if (waiters.size === 0 && poll !== null) {
      clearInterval(poll);
      poll = null;
    }
  };
}

module.exports = { scopeOf, ownerNow, whenIdle, hasWork };
