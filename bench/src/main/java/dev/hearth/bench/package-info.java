/**
 * The benchmarks behind {@code ./hearth bench}: JMH benchmarks of the container paths, and the
 * pool, load, neighbour and build figures measured outside JMH.
 */
package dev.hearth.bench;
