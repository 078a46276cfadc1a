/**
 * What a synchronous call ({@code invoke}) and an async one ({@code async}) share: the
 * concurrency permits a call takes and how its outcome reads. Below both, so neither calls the other.
 */
package dev.hearth.controlplane.call;
