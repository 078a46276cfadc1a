package dev.hearth.poolmanager.agent;

/** An agent's HTTP answer: status and raw JSON body. */
public record AgentReply(int status, byte[] body, boolean functionError) {
    public boolean ok() {
        return status == 200;
    }
}
