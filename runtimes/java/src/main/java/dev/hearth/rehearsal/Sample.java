package dev.hearth.rehearsal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The function a pooled agent rehearses before it listens, in both handler forms. It is left out
 * of the agent's jar and copied into the image as a folder of class files, so that it loads as a
 * function's own classes do: through a URLClassLoader reading a folder, not from the agent's
 * class path. {@link #handle} names the loader that loaded it, which the training run checks.
 */
public class Sample implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("sample event for " + context.getFunctionName());
        return "sample: " + event;
    }

    /** The {@code Sample::handle} form: a map in, a map out. */
    public Map<String, Object> handle(Map<String, Object> event) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event", event);
        answer.put("loader", Sample.class.getClassLoader().getClass().getSimpleName());
        return answer;
    }
}
