/** Whether an address is internal: the one rule for registry checks and async callbacks. */
package dev.hearth.poolmanager.net;
