/** Small helpers every Hearth module uses: named daemon threads, the one digest. No Hearth concepts live here. */
package dev.hearth.poolmanager.support;
