/**
 * The HTTP server: Undertow, every body read on the IO threads under its route's limit before
 * a worker runs the route ({@code HttpServer.route}, {@code BodyReader}), the one mapping of
 * exceptions to JSON errors, and the JSON helpers routes answer with.
 */
package dev.hearth.controlplane.http;
