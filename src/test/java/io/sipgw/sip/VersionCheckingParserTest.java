package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the parser wrapper notes about a request beyond what JAIN-SIP's lenient parser tells. */
class VersionCheckingParserTest {

    private static final String HEADERS = "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK1\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n";

    private static byte[] message(String requestLine, String headers) {
        return (requestLine + "\r\n" + headers + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String malformation(String requestLine, String headers) {
        return VersionCheckingParser.malformation(message(requestLine, headers));
    }

    @Test
    void aWellFormedRequestIsNotMalformed() {
        assertNull(malformation("OPTIONS sip:bob@127.0.0.1 SIP/2.0", HEADERS + "Max-Forwards: 70\r\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INVITE  sip:bob@127.0.0.1  SIP/2.0|Malformed Request-Line",
        "'OPTIONS sip:bob@127.0.0.1 SIP/2.0  '|Malformed Request-Line",
        "OPTIONS\tsip:bob@127.0.0.1 SIP/2.0|Malformed Request-Line",
        "INVITE sip:bob@127.0.0.1?Route=%3Csip:example.com%3E SIP/2.0|Headers Not Allowed in Request-URI"})
    void requestLinesJainSipToleratesAreMalformed(String requestLine, String reason) {
        assertEquals(reason, malformation(requestLine, HEADERS));
    }

    @Test
    void aQuestionMarkInTheUserPartIsAllowed() {
        // RFC 4475 3.1.1.2
        assertNull(malformation("OPTIONS sip:weird?user@127.0.0.1 SIP/2.0", HEADERS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "To: <sip:carol@127.0.0.1>|Duplicate To",
        "t: <sip:carol@127.0.0.1>|Duplicate To",
        "f: <sip:mallory@127.0.0.1>;tag=2|Duplicate From",
        "i: c2|Duplicate Call-ID",
        "CSeq: 2 OPTIONS|Duplicate CSeq",
        "l: 5|Duplicate Content-Length"})
    void aHeaderAllowedOnceThatAppearsTwiceIsMalformed(String second, String reason) {
        assertEquals(reason, malformation("OPTIONS sip:bob@127.0.0.1 SIP/2.0", HEADERS + second + "\r\n"));
    }

    @Test
    void repeatableHeadersMayRepeat() {
        assertNull(malformation("OPTIONS sip:bob@127.0.0.1 SIP/2.0",
                HEADERS + "Via: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK2\r\nRoute: <sip:a;lr>\r\nRoute: <sip:b;lr>\r\n"));
    }

    @Test
    void aRequestWithoutMaxForwardsGetsOneAsAProxyAddsIt() throws Exception {
        VersionCheckingParser parser = new VersionCheckingParser(new StringMsgParser());

        SIPMessage parsed = parser.parseSIPMessage(message("OPTIONS sip:bob@127.0.0.1 SIP/2.0", HEADERS), true, false, null);

        assertEquals(70, ((MaxForwardsHeader) parsed.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        assertNull(VersionCheckingParser.malformation((Request) parsed));
    }

    @Test
    void theParsedRequestCarriesTheMalformation() throws Exception {
        VersionCheckingParser parser = new VersionCheckingParser(new StringMsgParser());

        SIPMessage parsed = parser.parseSIPMessage(message("OPTIONS sip:bob@127.0.0.1 SIP/2.0  ", HEADERS), true, false, null);

        assertEquals("Malformed Request-Line", VersionCheckingParser.malformation((Request) parsed));
    }
}
