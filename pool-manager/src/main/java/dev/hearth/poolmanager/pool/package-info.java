/**
 * One node's containers: {@code LocalPoolManager} the facade; pre-started pools, warm sets per
 * function version, waiting calls, container starts and specialization, the run of a call, and
 * the node's budget divided fairly between users.
 */
package dev.hearth.poolmanager.pool;
