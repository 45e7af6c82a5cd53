package io.sipgw.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.message.Request;

/**
 * JAIN-SIP's message parser, remembering the SIP version of a request line: JAIN-SIP 1.3.0-91 parses
 * {@code MESSAGE sip:bob@host SIP/7.0} and hands it on as SIP/2.0, so nothing after the parser can tell.
 * A request whose request line names another version than SIP/2.0 carries an {@link UnsupportedVersion}
 * as its application data ({@link #hasSupportedVersion}); the gateway's user agent and the embedded SIP
 * server answer it 505 (RFC 3261 section 21.5.6). Installed through the stack property
 * {@link #STACK_PROPERTY} on both stacks.
 */
public final class VersionCheckingParser implements MessageParser {

    /** The stack property that installs this parser: set it to {@code Factory.class.getName()}. */
    public static final String STACK_PROPERTY = "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY";

    /** The application data of a request whose request line names an unsupported SIP version. */
    public record UnsupportedVersion(String version) {
    }

    /** False when the request line of {@code request} named another SIP version than 2.0. */
    public static boolean hasSupportedVersion(Request request) {
        return "SIP/2.0".equalsIgnoreCase(request.getSIPVersion())
                && !(request instanceof SIPMessage message && message.getApplicationData() instanceof UnsupportedVersion);
    }

    /** The factory the stack instantiates by name. */
    public static final class Factory implements MessageParserFactory {
        private final MessageParserFactory standard = new StringMsgParserFactory();

        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new VersionCheckingParser(standard.createMessageParser(stack));
        }
    }

    private static final int MAX_REQUEST_LINE = 8192;

    private final MessageParser standard;

    VersionCheckingParser(MessageParser standard) {
        this.standard = standard;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
            ParseExceptionListener listener) throws ParseException {
        SIPMessage message = standard.parseSIPMessage(bytes, readBody, strict, listener);
        if (message != null) {
            String version = requestLineVersion(bytes);
            if (version != null && !version.equalsIgnoreCase("SIP/2.0")) {
                message.setApplicationData(new UnsupportedVersion(version));
            }
        }
        return message;
    }

    /** The last token of the first non-empty line if it is a request line, else null. */
    static String requestLineVersion(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        int end = start;
        while (end < bytes.length && end - start < MAX_REQUEST_LINE && bytes[end] != '\r' && bytes[end] != '\n') {
            end++;
        }
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8).trim();
        if (line.regionMatches(true, 0, "SIP/", 0, 4)) {
            return null; // a status line
        }
        int space = line.lastIndexOf(' ');
        return space < 0 ? null : line.substring(space + 1);
    }
}
