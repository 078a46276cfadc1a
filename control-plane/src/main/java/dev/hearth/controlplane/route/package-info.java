/**
 * HTTP routes and function URLs: route path patterns and their validation ({@code RoutePattern})
 * and the immutable, trie-walked table a request is matched against ({@code RouteTable}).
 */
package dev.hearth.controlplane.route;
