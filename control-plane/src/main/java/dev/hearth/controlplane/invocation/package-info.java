/**
 * Invocation records: their ids, the batched writer ({@code InvocationLog}) and the routes that
 * read sync and async records alike.
 */
package dev.hearth.controlplane.invocation;
