/**
 * What the control plane asks of a pool manager ({@code PoolManager}) and the values that cross
 * that line, in-process or over NATS: a function version ({@code FunctionSpec}, its workload and
 * settings), a call and its outcome, the node's settings.
 */
package dev.hearth.poolmanager;
