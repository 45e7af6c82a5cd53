package io.sipgw.sip;

/** A SIP listening point could not be opened on the requested address. */
public class BindFailedException extends Exception {

    private final String address;

    public BindFailedException(String address, Throwable cause) {
        super("Cannot listen for SIP on " + address + ": " + rootMessage(cause), cause);
        this.address = address;
    }

    public String address() {
        return address;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
