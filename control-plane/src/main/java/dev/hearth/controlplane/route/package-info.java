/**
 * HTTP routes and function URLs: real HTTP served by functions. Route path patterns and their
 * validation ({@code RoutePattern}, {@code PathCodec}, {@code RequestPath}) and the immutable,
 * trie-walked table a request is matched against ({@code RouteTable}); routes and URLs as stored
 * ({@code HttpRoute}, {@code RouteStore}, {@code FunctionUrl}, {@code FunctionUrlStore}) with
 * their settings ({@code Access}, {@code Cors}), managed and cached by {@code Routes} (kept in
 * step across control planes by {@code RouteChanges}) and served over REST by {@code RouteApi};
 * the public requests themselves ({@code PublicEndpoints}) become API Gateway HTTP API 2.0 events
 * ({@code HttpEvent}) and the function's answer a response ({@code HttpAnswer}).
 */
package dev.hearth.controlplane.route;
