/**
 * Work shared between users: {@code FairQueue}, the pure turn-taking policy (users in turn, at most
 * so many of one user out at once, FIFO within a user), and {@code FairScheduler}, worker threads
 * over it. Async invocations, callbacks and builds share their workers through it.
 */
package dev.hearth.controlplane.fair;
