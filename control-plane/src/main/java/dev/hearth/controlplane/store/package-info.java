/**
 * The database: the MongoDB driver against the embedded, password-guarded mongo-java-server or an
 * external MongoDB, and the private data folder the embedded store lives in. The embedded
 * store's backend ({@link dev.hearth.controlplane.store.KeyedH2Backend}) keeps the indexes
 * mongo-java-server drops or cannot use: non-unique ones, a two-field unique index's order, and
 * queries the driver sends as {@code $and}.
 */
package dev.hearth.controlplane.store;
