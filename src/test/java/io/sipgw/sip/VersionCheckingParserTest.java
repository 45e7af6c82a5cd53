package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ViaHeader;
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
    void linesEndedByABareLineFeedAreReadToo() {
        String head = "OPTIONS sip:bob@127.0.0.1 SIP/2.0\n" + HEADERS.replace("\r\n", "\n");
        assertNull(VersionCheckingParser.malformation((head + "\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("Duplicate Call-ID", VersionCheckingParser.malformation(
                (head + "i: c2\n\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("Malformed Request-Line", VersionCheckingParser.malformation(
                ("OPTIONS  sip:bob@127.0.0.1 SIP/2.0\n" + HEADERS).getBytes(StandardCharsets.ISO_8859_1)));
    }

    @ParameterizedTest
    @CsvSource({"'\r\n\r\n'", "'\n\n'", "'\r\n\n'", "'\n\r\n'"})
    void whatFollowsTheEmptyLineIsBodyNotHeaders(String headEnd) {
        String head = "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n" + HEADERS.replace("\r\n", "\n").replace("\n", "\r\n");
        String withBody = head.substring(0, head.length() - 2) + headEnd.translateEscapes() + "Call-ID: in the body\r\nTo: x";
        assertNull(VersionCheckingParser.malformation(withBody.getBytes(StandardCharsets.ISO_8859_1)));
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

    private static String unfold(String message) {
        return new String(VersionCheckingParser.unfold(message.getBytes(StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void aViaFoldedBetweenTransportAndHostKeepsItsSentBy() throws Exception {
        // RFC 3261 7.3.1: JAIN-SIP alone drops this Via (it joins "UDP" and "127.0.0.1" without a space)
        String folded = "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP\r\n 127.0.0.1:5099\r\n\t;branch=z9hG4bKfold\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.2:5098;branch=z9hG4bK2\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        VersionCheckingParser parser = new VersionCheckingParser(new StringMsgParser());

        SIPMessage parsed = parser.parseSIPMessage(folded.getBytes(StandardCharsets.ISO_8859_1), true, false, null);

        ViaHeader top = (ViaHeader) parsed.getHeader(ViaHeader.NAME);
        assertEquals("UDP", top.getTransport());
        assertEquals("127.0.0.1", top.getHost());
        assertEquals(5099, top.getPort());
        assertEquals("z9hG4bKfold", top.getBranch());
        assertNull(VersionCheckingParser.malformation((Request) parsed));
    }

    @Test
    void unfoldingRemovesOnlyTheLineBreaksOfHeaderFolds() {
        assertEquals("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP \t 127.0.0.1;branch=z9hG4bK1\r\n"
                        + "Subject: one two  three\r\nContent-Length: 9\r\n\r\nbody\r\n 2\r\n",
                unfold("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP\r\n \t 127.0.0.1;branch=z9hG4bK1\r\n"
                        + "Subject: one\r\n two\r\n  three\r\nContent-Length: 9\r\n\r\nbody\r\n 2\r\n"));
        // bare LF line ends, as JAIN-SIP accepts them
        assertEquals("OPTIONS sip:b@h SIP/2.0\nTo: <sip:b@h>\t;tag=1\n\n x",
                unfold("OPTIONS sip:b@h SIP/2.0\nTo: <sip:b@h>\n\t;tag=1\n\n x"));
    }

    @Test
    void theStartLineAndLeadingKeepAlivesAreNeverJoined() {
        String continuationFirst = "\r\n\r\nOPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n";
        assertEquals(continuationFirst, unfold(continuationFirst));
    }

    @Test
    void aMessageWithoutFoldsIsPassedOnAsItIs() {
        byte[] plain = message("OPTIONS sip:bob@127.0.0.1 SIP/2.0", HEADERS);
        assertSame(plain, VersionCheckingParser.unfold(plain));
    }
}
