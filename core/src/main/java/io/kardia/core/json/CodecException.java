package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.util.List;

/** Input that is not valid JSON/YAML for the requested type; the message says where and why. */
public class CodecException extends RuntimeException {
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    public CodecException(String message) {
        super(message);
    }

    static CodecException wrap(String format, Class<?> type, IOException e) {
        String detail = e.getMessage();
        if (e instanceof JsonProcessingException jpe) {
            detail = jpe.getOriginalMessage();
            JsonLocation loc = jpe.getLocation();
            if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
                detail += " at " + path(jme.getPath());
            }
            if (loc != null && loc.getLineNr() > 0) {
                detail += " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            }
        }
        return new CodecException("invalid " + format + " for " + type.getSimpleName() + ": " + detail, e);
    }

    /** {@code spec.containers[0].image}: where in the document the bad value was. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
