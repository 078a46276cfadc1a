package dev.hearth.poolmanager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A container's stdout and stderr as the engine kept them, cut at a size so a noisy container costs a bounded amount. */
final class ContainerLogs {

    private ContainerLogs() {}

    /**
     * @param tail the last lines only, or all of them when not positive
     */
    static String read(DockerClient docker, String id, int maxBytes, int tail) throws InterruptedException {
        var out = new ByteArrayOutputStream();
        int[] dropped = {0};
        var command = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false);
        if (tail > 0) {
            command.withTail(tail);
        }
        command.exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        byte[] payload = frame.getPayload();
                        int room = maxBytes - out.size();
                        if (room >= payload.length) {
                            out.write(payload, 0, payload.length);
                        } else {
                            out.write(payload, 0, Math.max(room, 0));
                            dropped[0] += payload.length - Math.max(room, 0);
                        }
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        String text = out.toString(StandardCharsets.UTF_8);
        return dropped[0] == 0 ? text : text + "\n[hearth] log truncated: " + dropped[0] + " bytes dropped\n";
    }
}
