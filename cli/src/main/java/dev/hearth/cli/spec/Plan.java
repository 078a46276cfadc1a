package dev.hearth.cli.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.HearthApi;
import java.util.List;

/**
 * What {@code hearth apply} would change, in the order it changes it: functions first (so that
 * aliases can name their new versions), then aliases, routes (old ones deleted before new ones
 * are made, since routes are unique), URLs, the aliases the spec dropped, and last the functions
 * {@code --prune} deletes.
 *
 * @param notes what the user should know that is not a change (a function adopted, one left to prune)
 */
public record Plan(String spec, List<Change> changes, List<String> notes) {

    public Plan {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The plan's lines, one per change; {@code nothing to change} when there are none. */
    public List<String> lines() {
        return changes.isEmpty() ? List.of("nothing to change") : changes.stream().map(Change::line).toList();
    }

    /** How many changes of each action: "2 to create, 1 to change, 0 to delete". */
    public String summary() {
        long create = count(Change.Action.CREATE);
        long update = count(Change.Action.UPDATE);
        long delete = count(Change.Action.DELETE);
        return create + " to create, " + update + " to change, " + delete + " to delete";
    }

    private long count(Change.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    public ObjectNode json() {
        ObjectNode node = HearthApi.JSON.createObjectNode();
        node.put("spec", spec);
        ArrayNode list = node.putArray("changes");
        changes.forEach(c -> list.add(c.json()));
        ArrayNode notesNode = node.putArray("notes");
        notes.forEach(notesNode::add);
        return node;
    }
}
