package dev.hearth.poolmanager.agent;

/**
 * An agent's HTTP answer.
 *
 * @param body          the JSON after the log prefix
 * @param logs          the invocation's tagged log lines (empty for /init and /healthz)
 * @param functionError the agent flagged the answer as the function's own failure
 */
public record AgentReply(int status, byte[] body, byte[] logs, boolean functionError) {
    public boolean ok() {
        return status == 200;
    }
}
