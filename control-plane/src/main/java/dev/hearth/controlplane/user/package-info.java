/**
 * Users and tokens: accounts with bcrypt passwords on a bounded pool, failed-login throttling,
 * tokens stored as digests, and the {@code Authenticator} every route asks who is calling.
 */
package dev.hearth.controlplane.user;
