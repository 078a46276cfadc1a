package dev.hearth.runtime.java.train;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The sample function of the image build's training run: echoes its event, and throws on {"fail": true}. */
public class Echo implements RequestHandler<Map<String, Object>, String> {

    static {
        System.out.println("Echo loaded");
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("event for " + context.getFunctionName() + " (" + context.getRemainingTimeInMillis() + " ms left)");
        System.out.println("GREETING=" + System.getenv("HEARTH_TRAINING"));
        if (event != null && Boolean.TRUE.equals(event.get("fail"))) {
            throw new IllegalStateException("asked to fail");
        }
        return "echo: " + event;
    }

    /** The {@code Echo::greet} form: a POJO in, a POJO out. */
    public static Greeting greet(Greeting in, Context context) {
        System.err.print("greeting " + in.getName());
        Greeting out = new Greeting();
        out.setName(in.getName());
        out.setMessage("hello " + in.getName() + " from " + context.getFunctionVersion());
        out.setCount(in.getCount() + 1);
        return out;
    }
}
