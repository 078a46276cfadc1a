/**
 * From a folder on disk to a ready function: {@link dev.hearth.cli.deploy.Project} detects the
 * runtime and handler as Hearth and Lambda name them, {@link dev.hearth.cli.deploy.Bundle} zips the
 * code with the server's archive rules checked first (deterministically, never following a link),
 * and {@link dev.hearth.cli.deploy.Deployer} creates or updates the function and follows its build.
 * Shared by {@code hearth deploy}, {@code apply} and {@code dev}.
 */
package dev.hearth.cli.deploy;
