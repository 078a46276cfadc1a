package dev.hearth.poolmanager.docker;

/** The labels Hearth puts on the containers it creates, which also find them again. */
public final class Labels {

    /** The node that created a container: a later run of that node finds and removes what this one left behind. */
    public static final String NODE = "dev.hearth.node";

    private Labels() {}
}
