/**
 * Building uploaded source in a builder container: a capped workspace, each owner's own caches,
 * the output packed without following links once the container is gone.
 */
package dev.hearth.poolmanager.build;
