/**
 * The control plane process: {@code Main} picks one of three roles, {@code Hearth} starts and
 * stops a control plane (store, pool manager, REST API), {@code PoolNode} a pool-manager node.
 * {@code HearthConfig} only reads environment variables and assembles the settings records,
 * which live in the packages that use them.
 */
package dev.hearth.controlplane;
