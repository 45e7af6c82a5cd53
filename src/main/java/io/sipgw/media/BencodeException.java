package io.sipgw.media;

/** Bytes that are not one well-formed bencode value, or a value bencode cannot carry. */
public class BencodeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    BencodeException(String message) {
        super(message);
    }

    static BencodeException at(int position, String reason) {
        return new BencodeException("malformed bencode at byte " + position + ": " + reason);
    }
}
