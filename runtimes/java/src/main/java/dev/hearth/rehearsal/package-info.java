/**
 * The sample function of the agent's rehearsal and training run ({@code Training}): kept out of
 * the agent's jar and copied into the image under {@code /opt/hearth/rehearsal}, so it loads from
 * a folder as a function's classes do.
 */
package dev.hearth.rehearsal;
