/**
 * Queued calls: {@link dev.hearth.controlplane.async.AsyncInvocations} is the one public service;
 * each record's status is written by {@code AsyncRecords} alone, and the queues only move work.
 */
package dev.hearth.controlplane.async;
