/**
 * Where an image function's image may come from: Docker's reference grammar, the allowed
 * registries, and the guard that lets only listed registries at public addresses be contacted.
 */
package dev.hearth.poolmanager.image;
