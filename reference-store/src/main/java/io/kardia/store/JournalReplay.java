package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;

/**
 * Rebuilds the MVCC index from what a journal recovers, record by record: a delete (or a record
 * without a value) removes the key, anything else becomes the key's version at the revision the
 * object's own resourceVersion names.
 */
final class JournalReplay {
    private JournalReplay() {
    }

    /** Replays {@code journal} into {@code index}; returns the highest revision it held. */
    static long into(MvccIndex index, Journal journal) {
        return journal.recover(record -> {
            if (record.op() == JournalRecord.Op.DELETE || record.value() == null) {
                index.recoverPut(record.resource(), record.key(), null);
                return;
            }
            JsonNode tree;
            try {
                tree = Json.tree(record.value());
            } catch (CodecException e) {
                throw new IllegalStateException("journal record " + record.revision() + " (" + record.resource() + " "
                        + record.key() + ") is not valid JSON", e);
            }
            long rev = record.revision();
            String rv = tree.path("metadata").path("resourceVersion").asText("");
            if (!rv.isEmpty()) {
                rev = Long.parseLong(rv);
            }
            index.recoverPut(record.resource(), record.key(), new StoredObject(rev, (ObjectNode) tree, record.value()));
        });
    }
}
