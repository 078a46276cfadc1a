/**
 * The container engine: creating hardened containers and one-off runs, CPU weights by user, the
 * egress network and its host firewall rules, the node label.
 */
package dev.hearth.poolmanager.docker;
