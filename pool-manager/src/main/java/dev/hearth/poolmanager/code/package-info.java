/**
 * Function code on a node: the cache of unpacked archives by digest ({@code CodeCache},
 * {@code CodeLedger}, {@code CodeCachePolicy}), where archives come from ({@code CodeSource}), and
 * tenant trees handled without following links ({@code SafeZip}, {@code Zips}, {@code FileTrees}).
 */
package dev.hearth.poolmanager.code;
