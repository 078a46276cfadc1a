package dev.hearth.runtime.java.train;

/** The POJO event and result of {@code Echo::greet}. */
public class Greeting {

    private String name;
    private String message;
    private int count;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }
}
