/**
 * The database: the MongoDB driver against the embedded, password-guarded mongo-java-server or an
 * external MongoDB, and the private data folder the embedded store lives in.
 */
package dev.hearth.controlplane.store;
