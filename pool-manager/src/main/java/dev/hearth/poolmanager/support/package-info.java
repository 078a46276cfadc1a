/**
 * Small helpers every Hearth module uses: named daemon threads, the one digest, whether bytes are
 * JSON. No Hearth concepts live here.
 */
package dev.hearth.poolmanager.support;
