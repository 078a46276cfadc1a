/**
 * Live streams as Server-Sent Events: {@code EventStream} (an open {@code text/event-stream}
 * answer written on its connection's IO thread, with keep-alives and a bound on what a slow client
 * leaves queued), {@code SseFrames} (the framing), {@code Streams} (caps of open streams per user
 * and per control plane, and the few threads their store reads run on), and the logs of functions'
 * invocations read and followed ({@code LogRoutes}, {@code LogFollowing}, {@code LogFollow}):
 * from the invocation record log's and the async workers' listeners on this control plane, and
 * from other control planes' {@code InvocationNotices} on NATS. Following a build lives with the
 * builds, in {@code function/} ({@code BuildFollowing}, {@code LiveBuilds}).
 */
package dev.hearth.controlplane.stream;
