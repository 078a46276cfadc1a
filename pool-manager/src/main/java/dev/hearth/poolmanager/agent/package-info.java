/**
 * Talking to the agent inside a container over its Unix socket: {@code AgentClient}, and the real
 * one, {@code UnixSocketAgentClient}.
 */
package dev.hearth.poolmanager.agent;
