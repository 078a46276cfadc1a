/**
 * The pool manager over NATS, both sides: the control plane's {@code NatsPoolManager} with its
 * {@code Placement} of calls on nodes, a node's {@code NodeServer} and {@code NodeHandler}, code
 * archives in chunks, and the messages they exchange ({@code Wire}).
 */
package dev.hearth.poolmanager.nats;
