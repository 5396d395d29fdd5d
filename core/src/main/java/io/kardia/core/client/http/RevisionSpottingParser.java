package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;

/**
 * A parser that notes the {@code metadata.resourceVersion} of the object it is decoding while the
 * object's own decoder reads it. A watch event is decoded straight from the stream (no tree), so
 * when the model cannot read an object, its revision is known only if it was seen on the way:
 * the watch then skips the event as a bookmark of that revision instead of replaying it.
 */
final class RevisionSpottingParser extends JsonParserDelegate {
    private JsonStreamContext object;
    private String revision;

    RevisionSpottingParser(JsonParser stream) {
        super(stream);
    }

    /** Starts watching the object whose {@code START_OBJECT} is the current token. */
    void beginObject() {
        object = delegate.getParsingContext();
        revision = null;
    }

    /** The object's revision if the parser has passed it, else null. */
    String revision() {
        return revision;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = delegate.nextToken();
        if (t == JsonToken.VALUE_STRING) {
            spot();
        }
        return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = delegate.nextValue();
        if (t == JsonToken.VALUE_STRING) {
            spot();
        }
        return t;
    }

    @Override
    public String nextTextValue() throws IOException {
        String text = delegate.nextTextValue();
        if (text != null) {
            spot();
        }
        return text;
    }

    private void spot() throws IOException {
        JsonStreamContext inMetadata = delegate.getParsingContext();
        if (object != null && inMetadata.getParent() == object && "resourceVersion".equals(inMetadata.getCurrentName())
                && "metadata".equals(object.getCurrentName())) {
            revision = delegate.getText();
        }
    }
}
