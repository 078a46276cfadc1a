/**
 * The host machine itself: the container uid that no host account has, ownership changes that
 * never follow a link, and capped tmpfs mounts.
 */
package dev.hearth.poolmanager.host;
