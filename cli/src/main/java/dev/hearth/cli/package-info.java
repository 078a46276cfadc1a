/**
 * Hearth's command-line client: {@code hearth login}, {@code deploy}, {@code invoke}, {@code logs},
 * {@code apply} and the rest. It speaks only Hearth's public REST API ({@link dev.hearth.cli.HearthApi}),
 * keeps the user's endpoint and token in {@code ~/.config/hearth/config} ({@link dev.hearth.cli.Profile}),
 * and reports every failure as one line and an {@link dev.hearth.cli.ExitCode}.
 */
package dev.hearth.cli;
