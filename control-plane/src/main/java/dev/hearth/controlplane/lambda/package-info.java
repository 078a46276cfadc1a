/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) for unchanged AWS SDK
 * and CLI clients: SigV4 verification against Hearth access keys, Lambda's invocation types,
 * headers and REST-JSON errors, over the same call path as {@code /v1/functions/{name}/invoke}.
 */
package dev.hearth.controlplane.lambda;
