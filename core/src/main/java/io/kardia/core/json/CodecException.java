package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

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
            if (loc != null && loc.getLineNr() > 0) {
                detail += " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            }
        }
        return new CodecException("invalid " + format + " for " + type.getSimpleName() + ": " + detail, e);
    }
}
