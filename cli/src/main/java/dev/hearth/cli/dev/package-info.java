/**
 * {@code hearth dev}: the loop ({@link dev.hearth.cli.dev.DevLoop}) that deploys a project and
 * redeploys it on every save, the recursive folder watch with its debounce ({@code FolderWatch}),
 * and the log tail ({@code LogTail}: the log stream, or polls of invocation records).
 */
package dev.hearth.cli.dev;
