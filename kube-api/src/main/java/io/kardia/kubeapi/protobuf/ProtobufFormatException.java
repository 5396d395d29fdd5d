package io.kardia.kubeapi.protobuf;

/** A body or stream that is not valid Kubernetes protobuf; the message says what was wrong. */
public final class ProtobufFormatException extends RuntimeException {
    public ProtobufFormatException(String message) {
        super(message);
    }

    public ProtobufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
