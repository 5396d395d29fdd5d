package io.kardia.store.protobuf;

/** A protobuf body, or a JSON value to encode, that does not fit the Kubernetes wire format; the message says what and where. */
public final class ProtobufFormatException extends RuntimeException {
    public ProtobufFormatException(String message) {
        super(message);
    }

    public ProtobufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
