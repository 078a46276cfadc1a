/**
 * {@code POST /v1/functions/{name}/invoke}: the event as the function receives it, the
 * synchronous call, or the hand-over to {@code async}.
 */
package dev.hearth.controlplane.invoke;
